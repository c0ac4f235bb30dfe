package io.farline.core.far;

import io.farline.core.pagetable.PageTable;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static io.farline.core.far.FarMemory.PAGE_SHIFT;
import static io.farline.core.far.FarMemory.PAGE_SIZE_BYTES;
import static io.farline.core.pagetable.PageTableEntryDescriptor.PTE_PRESENT;
import static io.farline.core.pagetable.PageTableEntryDescriptor.PTE_REMOTE;
import static io.farline.core.pagetable.PageTableEntryDescriptor.hostId;
import static io.farline.core.pagetable.PageTableEntryDescriptor.remotePage;

/**
 * Pages mapped read-only straight from their hosts (seed 000). Such a page's entry is remote and present: a read is
 * served by a one-sided READ into a scratch buffer, with no local copy; the first write copies the page in like any
 * miss and makes it a writable local page (a promotion), after which the host's copy is no longer served (its slot
 * stays the page's home for write-back).
 * <p>
 * Single-threaded: the far memory's thread.
 */
final class ReadOnlyHostPages
{
    private final PageTable table;
    private final HostLinks links;
    private final UnsafeBuffer scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(PAGE_SIZE_BYTES, 64));
    private long remoteReads;
    private long promotions;

    /**
     * @param table the page table.
     * @param links the links to the hosts.
     */
    ReadOnlyHostPages(final PageTable table, final HostLinks links)
    {
        this.table = table;
        this.links = links;
    }

    /**
     * @return where a remote read leaves its bytes, from offset 0, until the next one.
     */
    UnsafeBuffer scratch()
    {
        return scratch;
    }

    /**
     * Maps the remote pages of a range read-only; pages that are local now stay local.
     *
     * @param firstPage first page of the range.
     * @param endPage   page after the range.
     * @return the number of pages mapped.
     */
    int map(final int firstPage, final int endPage)
    {
        int mapped = 0;
        for (int page = firstPage; page < endPage; page++)
        {
            final long entry = table.entryVolatile(page);
            if ((entry & PTE_REMOTE) != 0 && (entry & PTE_PRESENT) == 0 &&
                table.compareAndSetEntry(page, entry, entry | PTE_PRESENT))
            {
                mapped++;
            }
        }
        return mapped;
    }

    /**
     * Reads from a page mapped read-only into {@link #scratch()}, waiting for the READ.
     *
     * @param page   the page.
     * @param inPage offset of the read in the page.
     * @param length bytes, not crossing the page.
     * @param entry  the page's entry, remote and present.
     * @return false if the page's host is dead (nothing was read).
     */
    boolean read(final int page, final int inPage, final int length, final long entry)
    {
        final long wrId = HostLinks.wrId(HostLinks.KIND_REMOTE_READ, page);
        if (!links.tryPostRead(wrId, scratch, 0, length, hostId(entry), (remotePage(entry) << PAGE_SHIFT) + inPage))
        {
            return false;
        }
        remoteReads++;
        links.await(wrId, "remote read", page, hostId(entry));
        return true;
    }

    /**
     * Counts a page mapped read-only that a write is about to copy in.
     */
    void onPromotion()
    {
        promotions++;
    }

    /**
     * @return reads served straight from a host.
     */
    long remoteReads()
    {
        return remoteReads;
    }

    /**
     * @return pages that a write copied in.
     */
    long promotions()
    {
        return promotions;
    }
}
