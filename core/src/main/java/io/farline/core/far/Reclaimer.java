package io.farline.core.far;

import io.farline.core.far.prefetch.Prefetcher;
import io.farline.core.pagetable.PageTable;

import static io.farline.core.pagetable.PageTableEntryDescriptor.PTE_RECLAIMING;
import static io.farline.core.pagetable.PageTableEntryDescriptor.PTE_WRITABLE;

/**
 * Frees frames of the local cache (seed 000's reclaim), and hands them out.
 * <p>
 * The clock's victim is marked reclaiming and read-only in its page-table entry, its dirty lines are written back
 * (with their parity, or to every copy), and the frame is freed only when every host has confirmed every WRITE from
 * it: the WRITEs are counted per frame as they are posted and complete. After each miss, reclaims are started so that
 * {@code reclaimAheadPages} frames are free or on their way ({@link #reclaimAhead}), and the next misses rarely wait
 * for a write-back. A store to a page being reclaimed cancels the reclaim ({@link #cancelReclaim}): the page stays,
 * writable, and the lines stored go home at a later write-back. If a host dies before it confirms, the page stays
 * too, with all its lines dirty, and a later reclaim ships it to the page's new home.
 * <p>
 * Single-threaded: the far memory's thread; the write-back events arrive in its completion callbacks.
 */
final class Reclaimer
{
    private final PageTable table;
    private final LocalFrames frames;
    private final WriteBack writeBack;
    private final PageHomes homes;
    private final HostLinks links;
    private final Prefetcher prefetcher;
    private final long completionTimeoutMs;
    private final int reclaimAheadFrames;
    private final int[] writesInFlight;
    private final boolean[] writeBackFailed;
    private int reclaimsInFlight;
    private long reclaimsCancelled;
    private long reclaimsRetried;
    private long evictions;

    /**
     * @param table               the page table.
     * @param frames              the local cache.
     * @param writeBack           what ships a victim's dirty lines.
     * @param homes               where each page lives, for the entry of a page that left.
     * @param links               the queue pairs to the hosts, polled while waiting for a frame.
     * @param prefetcher          told of prefetched pages that left unused; null when prefetching is off.
     * @param completionTimeoutMs how long to wait for a frame to come free, in milliseconds.
     * @param reclaimAheadPages   frames to keep free or on their way (at most all frames but one).
     */
    Reclaimer(final PageTable table, final LocalFrames frames, final WriteBack writeBack, final PageHomes homes,
        final HostLinks links, final Prefetcher prefetcher, final long completionTimeoutMs,
        final int reclaimAheadPages)
    {
        this.table = table;
        this.frames = frames;
        this.writeBack = writeBack;
        this.homes = homes;
        this.links = links;
        this.prefetcher = prefetcher;
        this.completionTimeoutMs = completionTimeoutMs;
        this.reclaimAheadFrames = Math.min(reclaimAheadPages, frames.frameCount() - 1);
        this.writesInFlight = new int[frames.frameCount()];
        this.writeBackFailed = new boolean[frames.frameCount()];
    }

    /**
     * @return pages evicted from the local cache.
     */
    long evictions()
    {
        return evictions;
    }

    /**
     * @return reclaims cancelled by a store to the page being reclaimed.
     */
    long reclaimsCancelled()
    {
        return reclaimsCancelled;
    }

    /**
     * @return reclaims whose WRITEs a host did not confirm.
     */
    long reclaimsRetried()
    {
        return reclaimsRetried;
    }

    /**
     * A free frame: one from the free list, else the next one a reclaim in flight frees, else the clock's victim,
     * reclaimed now (its dirty lines written back and confirmed by every host before the frame is reused). The clock
     * skips frames being filled or reclaimed, clears accessed bits, and takes the first resident page without one.
     *
     * @return the frame, off the free list.
     * @throws FarMemoryException if no frame came free within the completion timeout.
     */
    int takeFrame()
    {
        final long deadlineNs = System.nanoTime() + completionTimeoutMs * 1_000_000L;
        while (frames.freeCount() == 0)
        {
            if (reclaimsInFlight > 0 || 0 == startReclaim())
            {
                // Wait for a reclaim to finish; if every frame is being filled, for the fetches.
                if (0 == links.poll() && System.nanoTime() - deadlineNs > 0)
                {
                    throw new FarMemoryException("no frame came free within " + completionTimeoutMs +
                        " ms (" + reclaimsInFlight + " reclaims in flight)");
                }
            }
        }
        return frames.takeFree();
    }

    /**
     * Keeps {@code reclaimAheadFrames} frames free or on their way to it, so that misses rarely wait for a
     * write-back.
     */
    void reclaimAhead()
    {
        while (frames.freeCount() + reclaimsInFlight < reclaimAheadFrames)
        {
            if (0 == startReclaim())
            {
                return;
            }
        }
    }

    /**
     * A store to a page being reclaimed: the reclaim is cancelled and the page stays, writable (its WRITEs in flight
     * are harmless, and the lines stored now are dirty again).
     *
     * @param page  the page.
     * @param entry its entry, present and reclaiming.
     */
    void cancelReclaim(final int page, final long entry)
    {
        table.compareAndSetEntry(page, entry, (entry | PTE_WRITABLE) & ~PTE_RECLAIMING);
        reclaimsInFlight--;
        reclaimsCancelled++;
    }

    /**
     * @param frame the frame a WRITE just posted came from.
     */
    void onWriteBackPosted(final int frame)
    {
        writesInFlight[frame]++;
    }

    /**
     * @param frame     the frame a WRITE came from.
     * @param confirmed false if its host did not confirm it (it died).
     */
    void onWriteBackCompleted(final int frame, final boolean confirmed)
    {
        if (!confirmed)
        {
            writeBackFailed[frame] = true;
        }
        if (--writesInFlight[frame] == 0)
        {
            final int page = frames.pageOf(frame);
            if (LocalFrames.NO_PAGE != page && (table.entryVolatile(page) & PTE_RECLAIMING) != 0)
            {
                finishReclaim(frame, page);
            }
            else
            {
                // A periodic write-back: with redundancy, the stripe covers the lost WRITE; without, poll() throws.
                writeBackFailed[frame] = false;
            }
        }
    }

    /**
     * Reclaims the clock's victim: marks its page reclaiming and read-only, and writes back its dirty lines; the
     * frame is freed when every host has confirmed ({@link #finishReclaim}), unless a store cancels it first.
     *
     * @return 1 if a reclaim started, 0 if no frame could be chosen.
     */
    private int startReclaim()
    {
        final int frame = frames.victim(table);
        if (frame < 0)
        {
            return 0;
        }
        final int page = frames.pageOf(frame);
        final long entry = table.entryVolatile(page);
        table.compareAndSetEntry(page, entry, (entry & ~PTE_WRITABLE) | PTE_RECLAIMING);
        reclaimsInFlight++;
        writeBack.writeBackFrame(frame);
        if (0 == writesInFlight[frame])
        {
            finishReclaim(frame, page); // clean, and confirmed by earlier write-backs
        }
        return 1;
    }

    /**
     * Every WRITE of a reclaimed frame has completed: free it if all were confirmed; if a host died before it
     * confirmed, keep the page, writable, with all its lines dirty, so that a later reclaim ships it again to the
     * page's new home (the rebuild gives it one). Runs inside a completion callback: changes state, posts nothing.
     */
    private void finishReclaim(final int frame, final int page)
    {
        final long entry = table.entryVolatile(page);
        reclaimsInFlight--;
        if (writeBackFailed[frame])
        {
            writeBackFailed[frame] = false;
            table.compareAndSetEntry(page, entry, (entry | PTE_WRITABLE) & ~PTE_RECLAIMING);
            frames.markDirty(frame);
            reclaimsRetried++;
            return;
        }
        if (frames.takePrefetchedUnused(frame))
        {
            prefetcher.onPrefetchWasted(page);
        }
        table.compareAndSetEntry(page, entry, homes.homeEntry(page));
        frames.evict(frame);
        evictions++;
    }
}
