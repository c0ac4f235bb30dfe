package io.farline.core.far;

import io.farline.core.pagetable.PageTable;

import static io.farline.core.far.FarMemory.PAGE_SHIFT;
import static io.farline.core.pagetable.PageTableEntryDescriptor.PTE_REMOTE;
import static io.farline.core.pagetable.PageTableEntryDescriptor.remoteEntry;

/**
 * Where each page lives at home, as the page-table entry of a page that is not in the local cache: the host of its
 * slot's chunk and the page's index in that host's data region ({@link StripeMap} places the pages). Write-back and
 * reclaim look a page's home up here; when a chunk moves (an evacuation, or a rebuild onto a replacement after a host
 * died), the entries of the pages at home follow it. Single-threaded.
 */
final class PageHomes
{
    private final PageTable table;
    private final StripeMap stripes;

    PageHomes(final PageTable table, final StripeMap stripes)
    {
        this.table = table;
        this.stripes = stripes;
    }

    /**
     * @param page a page of the address space.
     * @return the remote entry of the page at its current home, with no flags.
     */
    long homeEntry(final int page)
    {
        final int slot = stripes.slotOfPage(page);
        return remoteEntry(stripes.host(slot), stripes.remoteOffset(slot, stripes.rowOfPage(page)) >>> PAGE_SHIFT, 0);
    }

    /**
     * A data slot's chunk changed: the pages of the slot that are at home now point at the new chunk. Pages in the
     * cache keep their frames and go to the new home at their next write-back.
     *
     * @param dataSlot the data slot whose chunk was replaced.
     */
    void onHomeMoved(final int dataSlot)
    {
        for (int row = 0; row < stripes.pagesPerChunk(); row++)
        {
            final int page = stripes.pageAt(dataSlot, row);
            final long entry = table.entryVolatile(page);
            if ((entry & PTE_REMOTE) != 0)
            {
                table.compareAndSetEntry(page, entry, homeEntry(page)); // at home: the home moved
            }
        }
    }
}
