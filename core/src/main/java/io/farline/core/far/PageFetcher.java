package io.farline.core.far;

import io.farline.core.far.prefetch.Prefetcher;
import io.farline.core.pagetable.PageTable;
import org.agrona.concurrent.UnsafeBuffer;

import static io.farline.core.far.FarMemory.LINE_SIZE_BYTES;
import static io.farline.core.far.FarMemory.PAGE_SHIFT;
import static io.farline.core.far.FarMemory.PAGE_SIZE_BYTES;
import static io.farline.core.pagetable.PageTableEntryDescriptor.PTE_PRESENT;
import static io.farline.core.pagetable.PageTableEntryDescriptor.PTE_REMOTE;
import static io.farline.core.pagetable.PageTableEntryDescriptor.PTE_WRITABLE;
import static io.farline.core.pagetable.PageTableEntryDescriptor.hostId;
import static io.farline.core.pagetable.PageTableEntryDescriptor.localEntry;
import static io.farline.core.pagetable.PageTableEntryDescriptor.remotePage;

/**
 * Brings pages into frames of the local cache: demand misses, prefetches, and degraded fills of lost pages.
 * <p>
 * A miss fetches the page with one-sided READs: the missed 64-byte line first, then the rest of the page, so that
 * the access is served as soon as its line has arrived. While a page is being fetched its entry is local and not
 * present (see {@code filling}); the last READ's completion makes it resident ({@link #onFetchCompleted}). The
 * {@link Prefetcher} learns from misses and from first uses of prefetched pages, and its predictions are fetched
 * whole, without waiting. With parity, a page whose host died is served degraded: reconstructed from the rest of its
 * stripe into a frame. Every frame comes from the {@link Reclaimer}. Single-threaded: the far memory's thread,
 * completion callbacks included.
 */
final class PageFetcher
{
    private final PageTable table;
    private final LocalFrames frames;
    private final UnsafeBuffer fillBuffer;
    private final Reclaimer reclaimer;
    private final HostLinks links;
    private final StripeMap stripes;
    private final StripeRepair repair;
    private final Prefetcher prefetcher;
    private final long[] predictions;
    private final long completionTimeoutMs;
    private boolean lastMissDegraded;
    private long misses;

    /**
     * @param table               the page table.
     * @param frames              the local cache.
     * @param reclaimer           where frames come from.
     * @param links               the queue pairs to the hosts.
     * @param stripes             the chunks and where each page lives.
     * @param repair              the rebuild of lost pages, or null without redundancy.
     * @param prefetcher          the prefetcher, or null when prefetching is off.
     * @param prefetchDepth       most pages the prefetcher predicts at once.
     * @param completionTimeoutMs how long to wait for a page to arrive, in milliseconds.
     */
    PageFetcher(final PageTable table, final LocalFrames frames, final Reclaimer reclaimer, final HostLinks links,
        final StripeMap stripes, final StripeRepair repair, final Prefetcher prefetcher, final int prefetchDepth,
        final long completionTimeoutMs)
    {
        this.table = table;
        this.frames = frames;
        this.fillBuffer = frames.fillBuffer();
        this.reclaimer = reclaimer;
        this.links = links;
        this.stripes = stripes;
        this.repair = repair;
        this.prefetcher = prefetcher;
        this.predictions = new long[Math.max(1, prefetchDepth)];
        this.completionTimeoutMs = completionTimeoutMs;
    }

    /**
     * @return whether the last miss was served degraded (then it did the work of a row of the rebuild already).
     */
    boolean lastMissDegraded()
    {
        return lastMissDegraded;
    }

    /**
     * @return accesses that missed the local cache (demand misses), degraded ones included.
     */
    long misses()
    {
        return misses;
    }

    /**
     * Fetches a page that is at home into a frame, the accessed line first, and waits for that line.
     *
     * @param page   the page, at home (its entry is remote).
     * @param inPage offset of the access in the page.
     * @param length length of the access in bytes.
     * @return the offset of the access in the frames: the page was fetched, or, if its host turned out dead (before
     * or during the fetch), filled from the rest of its stripe.
     * @throws FarMemoryException if the host is dead and there is no parity to serve the page from.
     */
    int fetchLineFirst(final int page, final int inPage, final int length)
    {
        misses++;
        final int frame = reclaimer.takeFrame();
        // Taking a frame may write back, notice a dead host and move this page's home: read the entry again.
        final long entry = table.entryVolatile(page);
        if (null != repair && isLost(page, entry))
        {
            return fillDegraded(page, inPage, frame);
        }
        final int line = inPage & ~(LINE_SIZE_BYTES - 1);
        final int lineEnd = (inPage + length + LINE_SIZE_BYTES - 1) & ~(LINE_SIZE_BYTES - 1);
        final int host = hostId(entry);
        final long remote = remotePage(entry) << PAGE_SHIFT;
        final int frameStart = frame << PAGE_SHIFT;
        frames.assign(frame, page);
        table.compareAndSetEntry(page, entry, filling(frame));
        // The missed line first: the access is served when it arrives; the rest of the page follows.
        frames.expectReads(frame, 1);
        if (!links.tryPostRead(HostLinks.wrId(HostLinks.KIND_FETCH_LINE, frame), fillBuffer, frameStart + line,
            lineEnd - line, host, remote + line))
        {
            // The host died just now (with parity, isLost would have caught an earlier death).
            return hostDiedDuringFetch(page, inPage, frame, entry, host);
        }
        boolean restPosted = true;
        if (line > 0)
        {
            frames.expectOneMoreRead(frame);
            restPosted = links.tryPostRead(HostLinks.wrId(HostLinks.KIND_FETCH_REST, frame), fillBuffer, frameStart,
                line, host, remote);
        }
        if (restPosted && lineEnd < PAGE_SIZE_BYTES)
        {
            frames.expectOneMoreRead(frame);
            restPosted = links.tryPostRead(HostLinks.wrId(HostLinks.KIND_FETCH_REST, frame), fillBuffer,
                frameStart + lineEnd, PAGE_SIZE_BYTES - lineEnd, host, remote + lineEnd);
        }
        if (!restPosted)
        {
            // The host was declared dead between the line's READ and the rest's: let what was posted land first.
            links.awaitAll("fetch of page " + page);
            return hostDiedDuringFetch(page, inPage, frame, entry, host);
        }
        links.await(HostLinks.wrId(HostLinks.KIND_FETCH_LINE, frame), "fetch", page, host);
        lastMissDegraded = false;
        return frameStart + inPage;
    }

    /**
     * Tells the prefetcher of a demand miss, and prefetches what it predicts. The caller pins the missed page's frame.
     *
     * @param page the page that missed.
     */
    void prefetchAfterMiss(final int page)
    {
        if (null != prefetcher)
        {
            prefetch(prefetcher.onMiss(page, predictions));
        }
    }

    /**
     * Tells the prefetcher that a prefetched page was used, and prefetches what it predicts next.
     *
     * @param page  the page.
     * @param frame its frame, pinned while prefetching.
     */
    void onPrefetchUsed(final int page, final int frame)
    {
        final int count = prefetcher.onPrefetchUsed(page, predictions);
        frames.pin(frame); // the access about to be served must not lose its frame to a prefetch
        prefetch(count);
        frames.unpin();
    }

    /**
     * Whether a page at home is lost: its host died and its row is not rebuilt yet (parity only). Asks the page's
     * host directly rather than scanning every host: the degraded fill that follows does the scan, and each miss
     * scans once anyway (its rebuild step).
     *
     * @param page  the page.
     * @param entry its entry, remote.
     * @return true if it must be served degraded.
     */
    boolean isLost(final int page, final long entry)
    {
        return stripes.isLost(stripes.slotOfPage(page), stripes.rowOfPage(page)) || links.isDead(hostId(entry));
    }

    /**
     * Serves a miss on a lost page degraded: reconstructed from the rest of its stripe into a frame (and rebuilt
     * onto its replacement host on the way).
     *
     * @param page   the page.
     * @param inPage offset of the access in the page.
     * @return the offset of the access in the frames.
     */
    int degradedFill(final int page, final int inPage)
    {
        misses++;
        return fillDegraded(page, inPage, -1);
    }

    /**
     * The page's host died while its fetch was under way (nothing of it is awaited any more): the page goes back to
     * its home entry and is filled from the rest of its stripe into the frame taken for it; without parity the frame
     * is given back and the miss fails.
     */
    private int hostDiedDuringFetch(final int page, final int inPage, final int frame, final long homeEntry,
        final int host)
    {
        table.compareAndSetEntry(page, filling(frame), homeEntry);
        frames.expectReads(frame, 0);
        if (null == repair)
        {
            frames.release(frame);
            throw HostLinks.deadHost("fetch of page " + page, host);
        }
        return fillDegraded(page, inPage, frame);
    }

    /**
     * As {@link #degradedFill(int, int)}, without counting the miss (the caller did), into {@code takenFrame} unless
     * it is -1 (a frame taken for a fetch that could not go on).
     */
    private int fillDegraded(final int page, final int inPage, final int takenFrame)
    {
        lastMissDegraded = true;
        repair.checkHosts();
        final int frame = takenFrame >= 0 ? takenFrame : reclaimer.takeFrame();
        final byte[] content = repair.degradedRead(stripes.slotOfPage(page), stripes.rowOfPage(page));
        final int frameStart = frame << PAGE_SHIFT;
        fillBuffer.putBytes(frameStart, content, 0, PAGE_SIZE_BYTES);
        frames.assign(frame, page);
        frames.expectReads(frame, 0);
        frames.onFilled(frame, false);
        long entry;
        do
        {
            entry = table.entryVolatile(page); // the rebuild may have moved the page's home meanwhile
        }
        while (!table.compareAndSetEntry(page, entry, localEntry(frame, PTE_PRESENT | PTE_WRITABLE)));
        return frameStart + inPage;
    }

    /**
     * A READ into a frame completed; after the last one, its page is resident.
     *
     * @param kind  the kind of the READ ({@link HostLinks#KIND_PREFETCH} for a prefetch).
     * @param frame the frame.
     */
    void onFetchCompleted(final int kind, final int frame)
    {
        if (frames.onReadCompleted(frame))
        {
            final int page = frames.pageOf(frame);
            final long filling = table.entryVolatile(page);
            // Resident, and inactive: the access that fetched it does not count, a second one makes it active (as
            // a new page joins the inactive list). A prefetched page gets one pass of grace to be used.
            frames.onFilled(frame, HostLinks.KIND_PREFETCH == kind);
            table.compareAndSetEntry(page, filling, localEntry(frame, PTE_PRESENT | PTE_WRITABLE));
        }
    }

    /**
     * Waits until a frame being filled has all of its page.
     *
     * @param frame the frame.
     * @throws FarMemoryException if the page did not arrive within the completion timeout.
     */
    void awaitFill(final int frame)
    {
        final long deadlineNs = System.nanoTime() + completionTimeoutMs * 1_000_000L;
        while (frames.pendingReads(frame) > 0)
        {
            if (0 == links.poll() && System.nanoTime() - deadlineNs > 0)
            {
                throw new FarMemoryException("page " + frames.pageOf(frame) + " did not arrive within " +
                    completionTimeoutMs + " ms");
            }
        }
    }

    private void prefetch(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int page = (int)predictions[i];
            final long entry = table.entryVolatile(page);
            if ((entry & PTE_REMOTE) == 0)
            {
                prefetcher.onPrefetchCancelled(page); // already local or on its way
                continue;
            }
            if (null != repair && isLost(page, entry))
            {
                prefetcher.onPrefetchCancelled(page); // a lost page is served degraded, on demand
                continue;
            }
            final int frame = reclaimer.takeFrame();
            final long home = table.entryVolatile(page); // taking a frame may have moved the page's home
            if ((home & PTE_REMOTE) == 0 || (null != repair && isLost(page, home)))
            {
                frames.release(frame);
                prefetcher.onPrefetchCancelled(page);
                continue;
            }
            frames.assign(frame, page);
            frames.markPrefetched(frame);
            frames.expectReads(frame, 1);
            table.compareAndSetEntry(page, home, filling(frame));
            if (!links.tryPostRead(HostLinks.wrId(HostLinks.KIND_PREFETCH, frame), fillBuffer, frame << PAGE_SHIFT,
                PAGE_SIZE_BYTES, hostId(home), remotePage(home) << PAGE_SHIFT))
            {
                // The host died just now: no prefetch from it; a demand miss will deal with the page.
                table.compareAndSetEntry(page, filling(frame), home);
                frames.takePrefetchedUnused(frame);
                frames.expectReads(frame, 0);
                frames.release(frame);
                prefetcher.onPrefetchCancelled(page);
            }
        }
    }

    /**
     * The entry of a page being fetched into a frame: local, not present; writable only so that it is never 0 (the
     * entry of frame 0 with no flags), which would read as no entry at all.
     */
    private static long filling(final int frame)
    {
        return localEntry(frame, PTE_WRITABLE);
    }
}
