package io.farline.core.far;

import io.farline.core.tracking.DirtyDrainer;
import io.farline.core.tracking.DirtyRuns;
import io.farline.core.tracking.TrackedBuffer;

import static io.farline.core.far.FarMemory.LINES_PER_PAGE;
import static io.farline.core.far.FarMemory.LINE_SIZE_BYTES;
import static io.farline.core.far.FarMemory.PAGE_SHIFT;
import static io.farline.core.far.FarMemory.PAGE_SIZE_BYTES;
import static io.farline.core.pagetable.PageTableEntryDescriptor.hostId;
import static io.farline.core.pagetable.PageTableEntryDescriptor.remotePage;

/**
 * Ships dirty lines home, never whole pages: the frames are tracked memory, and the dirty runs (adjacent dirty lines
 * coalesced) are split at page boundaries, since adjacent frames hold unrelated pages, and go home with one-sided
 * WRITEs. Without redundancy each piece is one WRITE to the page's home; with parity or replicas the pieces go
 * through the {@link StripeWriter}, which updates the matching parity lines (or copies) as well.
 * <p>
 * Everything is written back every {@code writeBackIntervalMs} ({@link #writeBackAllIfDue}, checked on the far
 * memory's slow path and every 4096 accesses), on flush and close ({@link #writeBackAll}); a page alone when it is
 * reclaimed ({@link #writeBackFrame}). Counters compare the bytes shipped with the bytes that turned dirty and with
 * what page-granular write-back would have shipped. Single-threaded.
 */
final class WriteBack
{
    private final LocalFrames frames;
    private final PageHomes homes;
    private final HostLinks links;
    private final StripeWriter stripeWriter;
    private final TrackedBuffer frameBuffer;
    private final DirtyDrainer drainer;
    private final DirtyRuns allRuns;
    private final DirtyRuns pageRuns;
    private final long intervalNs;
    private long nextWriteBackNs;
    private long linesDirtied;
    private long bytesWrittenBack;
    private long pageGranularBytes;

    /**
     * @param frames       the local cache whose dirty lines are shipped.
     * @param homes        where each page lives.
     * @param links        the queue pairs to the hosts.
     * @param stripeWriter the writer of data and parity lines, or null without redundancy.
     * @param intervalMs   the write-back period in milliseconds; 0 for none.
     */
    WriteBack(final LocalFrames frames, final PageHomes homes, final HostLinks links, final StripeWriter stripeWriter,
        final long intervalMs)
    {
        this.frames = frames;
        this.homes = homes;
        this.links = links;
        this.stripeWriter = stripeWriter;
        this.frameBuffer = frames.buffer();
        // Counts lines as they turn dirty, on the store path, independently of write-back: every one of them must be
        // shipped exactly once (this far memory is their only writer, one thread).
        frames.dirtyBitmap().ownershipSink(this::onLinesDirtied);
        this.drainer = frames.drainer();
        this.allRuns = new DirtyRuns(frames.unitCount() / 2 + 1);
        this.pageRuns = new DirtyRuns(LINES_PER_PAGE / 2 + 1);
        this.intervalNs = intervalMs * 1_000_000L;
        this.nextWriteBackNs = System.nanoTime() + intervalNs;
    }

    /**
     * @return bytes of lines that turned dirty.
     */
    long dirtyBytes()
    {
        return linesDirtied * LINE_SIZE_BYTES;
    }

    /**
     * @return bytes shipped home by WRITE.
     */
    long bytesWrittenBack()
    {
        return bytesWrittenBack;
    }

    /**
     * @return bytes page-granular write-back would have shipped: a whole page for every page with a dirty line.
     */
    long pageGranularBytes()
    {
        return pageGranularBytes;
    }

    /**
     * Writes back every dirty line if the write-back period has passed.
     *
     * @return the runs written, 0 if the period has not passed (or there is none).
     */
    int writeBackAllIfDue()
    {
        if (intervalNs > 0 && System.nanoTime() - nextWriteBackNs >= 0)
        {
            return writeBackAll();
        }
        return 0;
    }

    /**
     * Posts the WRITEs of every dirty line (the caller awaits them if it needs them confirmed), and starts a new
     * write-back period.
     *
     * @return the runs written.
     */
    int writeBackAll()
    {
        nextWriteBackNs = System.nanoTime() + intervalNs;
        int runsWritten = 0;
        do
        {
            final int count = drainer.drain(allRuns);
            writeBack(allRuns, count);
            runsWritten += count;
        }
        while (!allRuns.endsEpoch());
        return runsWritten;
    }

    /**
     * Posts the WRITEs of one frame's dirty lines (a page being reclaimed).
     *
     * @param frame the frame.
     */
    void writeBackFrame(final int frame)
    {
        final int count = drainer.drainUnits(frame * LINES_PER_PAGE, LINES_PER_PAGE, pageRuns);
        if (count > 0)
        {
            writeBack(pageRuns, count);
        }
    }

    private void onLinesDirtied(final int wordIndex, final long newlyDirtyBits)
    {
        linesDirtied += Long.bitCount(newlyDirtyBits);
    }

    /**
     * Ships runs home, split at page boundaries: a run of adjacent frames belongs to unrelated pages.
     */
    private void writeBack(final DirtyRuns runs, final int count)
    {
        int lastFrame = -1;
        for (int i = 0; i < count; i++)
        {
            int offset = runs.offsetBytes(i);
            final int end = offset + runs.lengthBytes(i);
            while (offset < end)
            {
                final int frame = offset >>> PAGE_SHIFT;
                final int pieceEnd = Math.min(end, (frame + 1) << PAGE_SHIFT);
                final int page = frames.pageOf(frame);
                if (null != stripeWriter)
                {
                    stripeWriter.add(page, offset & (PAGE_SIZE_BYTES - 1), pieceEnd - offset, offset);
                }
                else
                {
                    final long home = homes.homeEntry(page);
                    links.postWrite(HostLinks.wrId(HostLinks.KIND_WRITE_BACK, frame), frameBuffer, offset,
                        pieceEnd - offset, hostId(home),
                        (remotePage(home) << PAGE_SHIFT) + (offset & (PAGE_SIZE_BYTES - 1)));
                }
                bytesWrittenBack += pieceEnd - offset;
                if (frame != lastFrame)
                {
                    pageGranularBytes += PAGE_SIZE_BYTES;
                    lastFrame = frame;
                }
                offset = pieceEnd;
            }
        }
        if (null != stripeWriter)
        {
            stripeWriter.ship();
        }
    }
}
