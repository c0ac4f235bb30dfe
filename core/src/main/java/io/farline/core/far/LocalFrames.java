package io.farline.core.far;

import io.farline.core.pagetable.PageTable;
import io.farline.core.tracking.DirtyBitmap;
import io.farline.core.tracking.DirtyDrainer;
import io.farline.core.tracking.TrackedBuffer;
import io.farline.core.tracking.TrackedMemory;
import io.farline.core.tracking.TrackingGeometry;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static io.farline.core.far.FarMemory.PAGE_SHIFT;
import static io.farline.core.far.FarMemory.PAGE_SIZE_BYTES;

/**
 * The local cache: a frame of tracked memory for each cached page, and what is known of each frame.
 * <p>
 * A frame is free (on the free list, holding no page), being filled (its page's fetches outstanding, counted in
 * {@link #pendingReads}), or resident (its page present in the page table). A frame filled by the prefetcher stays
 * "prefetched, unused" until its page's first access, so that the prefetcher learns which guesses paid. The
 * {@link PlacementClock} chooses the resident page that leaves when a frame is needed; the {@link Reclaimer} frees it.
 * <p>
 * Stores go through the tracked {@link #buffer()}, which marks their lines dirty; fetches fill frames through the
 * untracked {@link #fillBuffer()}, so that a page just arrived is clean. Single-threaded: the far memory's thread,
 * completion callbacks included.
 */
final class LocalFrames implements AutoCloseable
{
    /** The page of a free frame. */
    static final int NO_PAGE = -1;

    private final TrackedMemory memory;
    private final TrackedBuffer buffer;
    private final UnsafeBuffer fillBuffer;
    private final int[] framePage;
    private final int[] freeFrames;
    private final int[] pendingReads;
    private final boolean[] prefetchedUnused;
    private final PlacementClock clock;
    private int freeFrameCount;
    private int pinnedFrame = -1;

    /**
     * @param cacheBytes the size of the cache in bytes, a multiple of the page size.
     */
    LocalFrames(final long cacheBytes)
    {
        final int frameCount = (int)(cacheBytes >>> PAGE_SHIFT);
        this.memory = TrackedMemory.allocate(TrackingGeometry.of(cacheBytes));
        this.buffer = memory.buffer();
        this.fillBuffer = memory.untrackedView();
        this.framePage = new int[frameCount];
        this.freeFrames = new int[frameCount];
        this.pendingReads = new int[frameCount];
        this.prefetchedUnused = new boolean[frameCount];
        this.clock = new PlacementClock(frameCount);
        Arrays.fill(framePage, NO_PAGE);
        for (int f = 0; f < frameCount; f++)
        {
            freeFrames[f] = frameCount - 1 - f;
        }
        this.freeFrameCount = frameCount;
    }

    /**
     * @return the number of frames.
     */
    int frameCount()
    {
        return framePage.length;
    }

    /**
     * @return the frames as one buffer, frame {@code f} at {@code f * 4096}; stores through it mark lines dirty.
     */
    TrackedBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the same memory, untracked: fetches write through it.
     */
    UnsafeBuffer fillBuffer()
    {
        return fillBuffer;
    }

    /**
     * @return the dirty-line bitmap of the frames.
     */
    DirtyBitmap dirtyBitmap()
    {
        return memory.dirtyBitmap();
    }

    /**
     * @return a drainer of the frames' dirty lines, for write-back.
     */
    DirtyDrainer drainer()
    {
        return memory.drainer();
    }

    /**
     * @return the number of dirty-line units the frames hold, for sizing run buffers.
     */
    int unitCount()
    {
        return memory.geometry().unitCount();
    }

    /**
     * Marks every line of a frame dirty, so that the next write-back ships the whole page.
     *
     * @param frame the frame.
     */
    void markDirty(final int frame)
    {
        memory.dirtyBitmap().markBytes(frame << PAGE_SHIFT, PAGE_SIZE_BYTES);
    }

    /**
     * @param frame a frame.
     * @return the page it holds or is being filled with, or {@link #NO_PAGE} if it is free.
     */
    int pageOf(final int frame)
    {
        return framePage[frame];
    }

    /**
     * @param frame a frame taken from the free list.
     * @param page  the page it is to hold.
     */
    void assign(final int frame, final int page)
    {
        framePage[frame] = page;
    }

    /**
     * @return the number of frames on the free list.
     */
    int freeCount()
    {
        return freeFrameCount;
    }

    /**
     * @return a frame off the free list; the caller has checked that there is one.
     */
    int takeFree()
    {
        return freeFrames[--freeFrameCount];
    }

    /**
     * Returns a frame whose fill never started to the free list.
     *
     * @param frame the frame.
     */
    void release(final int frame)
    {
        framePage[frame] = NO_PAGE;
        freeFrames[freeFrameCount++] = frame;
    }

    /**
     * Its page has left a resident frame: the frame goes back to the free list.
     *
     * @param frame the frame.
     */
    void evict(final int frame)
    {
        clock.onEvicted(frame);
        release(frame);
    }

    /**
     * @param frame a frame.
     * @return fetches outstanding into it.
     */
    int pendingReads(final int frame)
    {
        return pendingReads[frame];
    }

    /**
     * @param frame a frame about to be filled.
     * @param count the fetches that fill it.
     */
    void expectReads(final int frame, final int count)
    {
        pendingReads[frame] = count;
    }

    /**
     * @param frame a frame being filled, by one more fetch.
     */
    void expectOneMoreRead(final int frame)
    {
        pendingReads[frame]++;
    }

    /**
     * @param frame a frame being filled.
     * @return true if the fetch just completed was its last one.
     */
    boolean onReadCompleted(final int frame)
    {
        return --pendingReads[frame] == 0;
    }

    /**
     * A page has just arrived in a frame: it joins the clock.
     *
     * @param frame      the frame.
     * @param prefetched true if no access asked for it yet.
     */
    void onFilled(final int frame, final boolean prefetched)
    {
        clock.onFilled(frame, prefetched);
    }

    /**
     * @param frame a frame the prefetcher is filling.
     */
    void markPrefetched(final int frame)
    {
        prefetchedUnused[frame] = true;
    }

    /**
     * Clears a frame's "prefetched, unused" mark.
     *
     * @param frame a frame.
     * @return true if it was set: the frame was prefetched and this is the first use (or the end) of it.
     */
    boolean takePrefetchedUnused(final int frame)
    {
        if (prefetchedUnused[frame])
        {
            prefetchedUnused[frame] = false;
            return true;
        }
        return false;
    }

    /**
     * Keeps a frame from being chosen as a victim: the access about to be served from it must not lose it to a
     * prefetch or a reclaim started on the way.
     *
     * @param frame the frame.
     */
    void pin(final int frame)
    {
        pinnedFrame = frame;
    }

    /**
     * Ends {@link #pin}.
     */
    void unpin()
    {
        pinnedFrame = -1;
    }

    /**
     * @param table the page table, whose accessed bits the clock reads and clears.
     * @return the clock's victim, or -1 if none could be chosen (see {@link PlacementClock#victim}).
     */
    int victim(final PageTable table)
    {
        return clock.victim(table, framePage, pendingReads, pinnedFrame);
    }

    /**
     * Frees the frames' memory.
     */
    @Override
    public void close()
    {
        memory.close();
    }
}
