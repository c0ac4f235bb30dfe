package io.farline.core.far;

import io.farline.core.pagetable.PageTable;

import static io.farline.core.pagetable.PageTableEntryDescriptor.PTE_ACCESSED;
import static io.farline.core.pagetable.PageTableEntryDescriptor.PTE_RECLAIMING;

/**
 * Which resident page leaves the local cache: seed 000's active and inactive pages, as a clock with credits.
 * <p>
 * The hand sweeps the frames when one is needed. A page accessed since the hand last passed is active: its accessed
 * bit is cleared and it earns a credit (up to {@link #MAX_ACTIVE_CREDIT}). An idle page spends a credit. A page with
 * neither is inactive, and is the victim. A fetched page starts inactive (the access that fetched it does not count);
 * a prefetched one gets one credit of grace to be used. So a page touched once goes at the next pass, while a page in
 * steady use survives three idle ones, and scans of cold pages do not push the hot set out. Single-threaded.
 */
final class PlacementClock
{
    /** Most credits an active page holds. */
    static final int MAX_ACTIVE_CREDIT = 3;

    private final byte[] activeCredit;
    private int hand;

    PlacementClock(final int frameCount)
    {
        this.activeCredit = new byte[frameCount];
    }

    /**
     * A page has just arrived in a frame.
     *
     * @param frame      the frame.
     * @param prefetched true if no access asked for it yet.
     */
    void onFilled(final int frame, final boolean prefetched)
    {
        activeCredit[frame] = (byte)(prefetched ? 1 : 0);
    }

    /**
     * @param frame a frame whose page left.
     */
    void onEvicted(final int frame)
    {
        activeCredit[frame] = 0;
    }

    /**
     * Sweeps for an inactive page, skipping free frames, frames being filled or reclaimed, and the pinned one.
     *
     * @param table        the page table, whose accessed bits the sweep reads and clears.
     * @param framePage    the page in each frame.
     * @param pendingReads fetches outstanding per frame.
     * @param pinnedFrame  a frame that must not be chosen, or -1.
     * @return the victim frame, or -1 if none could be chosen (every frame is being filled or pinned).
     */
    int victim(final PageTable table, final int[] framePage, final int[] pendingReads, final int pinnedFrame)
    {
        final int frameCount = activeCredit.length;
        // Within one call no access re-sets a bit: one pass clears them all, and credits run out within three more.
        for (int scanned = 0; scanned < (2 + MAX_ACTIVE_CREDIT) * frameCount; scanned++)
        {
            final int frame = hand;
            hand = hand + 1 == frameCount ? 0 : hand + 1;
            if (pendingReads[frame] > 0 || frame == pinnedFrame)
            {
                continue;
            }
            final int page = framePage[frame];
            if (page < 0)
            {
                continue; // free
            }
            final long entry = table.entryVolatile(page);
            if ((entry & PTE_RECLAIMING) != 0)
            {
                continue; // already on its way out
            }
            if ((entry & PTE_ACCESSED) != 0)
            {
                // Accessed since the hand last passed: active; it earns credit for the passes to come.
                table.getAndClearFlags(page, PTE_ACCESSED);
                activeCredit[frame] = (byte)Math.min(MAX_ACTIVE_CREDIT, activeCredit[frame] + 1);
                continue;
            }
            if (activeCredit[frame] > 0)
            {
                activeCredit[frame]--; // active, but idle since the last pass: one step closer to inactive
                continue;
            }
            return frame;
        }
        return -1;
    }
}
