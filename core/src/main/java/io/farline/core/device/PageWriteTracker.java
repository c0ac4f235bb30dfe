package io.farline.core.device;

import io.farline.core.interconnect.Interconnect;
import io.farline.core.interconnect.InterconnectDevice;
import io.farline.core.tracking.DirtyBitmap;
import io.farline.core.tracking.TrackedMemory;
import io.farline.core.tracking.TrackingGeometry;

import java.util.Arrays;

/**
 * The tracking programming interface of seed 003: start tracking a list of pages, stop, and get the dirty lines of
 * just those pages written into a buffer the caller reads.
 * <p>
 * While a session is active the device records, from the interconnect's ownership events, every unit of a tracked
 * page that turns dirty, in a private bitmap; drains by others (write-back) do not disturb it, because a unit written
 * again after a drain is a new event. A store to a unit that is already dirty raises no event (as on the hardware, a
 * line already held in modified state needs no new ownership request), so units of the tracked pages that are dirty
 * when the session starts are reported as well; drain before {@link #start} for an exact report.
 * <p>
 * If the interconnect dropped events during the session, {@link #stop()} falls back: it reports every unit of the
 * tracked pages. The report is then a superset, never a subset, of the lines written. It cannot use the dirty bitmap
 * for a finer answer: a unit whose event was lost may have been taken from the bitmap since, and not every take ends
 * an epoch (a drain whose run buffer fills, {@code DirtyDrainer.drainUnits}, a bare {@code DirtyBitmap.takeWord}), so
 * the bitmap cannot say whether it still holds every unit written.
 * <p>
 * Threading: {@link #start}, {@link #stop} and {@link #dirtyLines} from one application thread at a time; the
 * callbacks on the interconnect's thread. They hand over through the volatile session state: the application fills
 * the session before publishing it active, and reads the results only after the interconnect has handled every event
 * published, and reported every event lost, before {@link #stop()} (see {@link Interconnect#awaitEventsHandled()}).
 */
public final class PageWriteTracker implements InterconnectDevice
{
    private static final int IDLE = 0;
    private static final int ACTIVE = 1;
    private static final int STOPPED = 2;

    private final Interconnect interconnect;
    private final int port;
    private final DirtyBitmap bitmap;
    private final TrackingGeometry geometry;
    private final long[] trackedUnits;
    private final long[] writtenUnits;
    private final long[] dirtyAtStart;
    private volatile int state = IDLE;
    private volatile boolean eventsLost;

    /**
     * The tracker does not attach itself: the application {@link Interconnect#attach attaches} it, in the order it
     * chooses among its devices and before the interconnect runs; {@link #start} refuses until it has.
     *
     * @param interconnect whose events to follow.
     * @param port         the tracked memory's port.
     * @throws IllegalArgumentException if the port is unknown.
     */
    public PageWriteTracker(final Interconnect interconnect, final int port)
    {
        this.interconnect = interconnect;
        this.port = port;
        final TrackedMemory memory = interconnect.port(port);
        this.bitmap = memory.dirtyBitmap();
        this.geometry = memory.geometry();
        this.trackedUnits = new long[geometry.bitmapWordCount()];
        this.writtenUnits = new long[geometry.bitmapWordCount()];
        this.dirtyAtStart = new long[geometry.bitmapWordCount()];
    }

    /**
     * Starts a session tracking writes to {@code pages}. Writes that complete before this call are not reported.
     *
     * @param pages page numbers, each in {@code 0..pageCount-1}; repeats are allowed.
     * @throws IllegalArgumentException naming a page out of range, or if no page is given.
     * @throws IllegalStateException if a session is already active, or the tracker is not attached to its
     *                               interconnect (it would see no event and report nothing).
     */
    public void start(final int... pages)
    {
        if (ACTIVE == state)
        {
            throw new IllegalStateException("a tracking session is already active on port " + port + "; stop it first");
        }
        if (!interconnect.isAttached(this))
        {
            throw new IllegalStateException("the tracker of port " + port + " is not attached to its interconnect, " +
                "so it would see no write: call interconnect.attach(tracker) before the interconnect runs");
        }
        if (0 == pages.length)
        {
            throw new IllegalArgumentException("no pages to track");
        }
        for (final int page : pages)
        {
            if (page < 0 || page >= geometry.pageCount())
            {
                throw new IllegalArgumentException("page " + page + " is outside 0.." + (geometry.pageCount() - 1));
            }
        }
        // Events from before the session are handed out first, so they are not counted in it.
        interconnect.awaitEventsHandled();
        Arrays.fill(trackedUnits, 0);
        Arrays.fill(writtenUnits, 0);
        final int unitsPerPage = geometry.unitsPerPage();
        for (final int page : pages)
        {
            final int first = page * unitsPerPage;
            for (int unit = first; unit < first + unitsPerPage; unit++)
            {
                trackedUnits[unit >>> 6] |= 1L << unit;
            }
        }
        eventsLost = false;
        // Publishes the session set up above to the interconnect's thread, which reads state before the arrays.
        state = ACTIVE;
        // After ACTIVE: a unit clean here and written later raises an event the session counts; a unit dirty here
        // may be written without an event, so it counts now. Only this thread writes dirtyAtStart.
        for (int w = 0; w < dirtyAtStart.length; w++)
        {
            dirtyAtStart[w] = trackedUnits[w] & bitmap.wordVolatile(w);
        }
    }

    /**
     * Stops the session; every write that completed before this call is in the report.
     *
     * @throws IllegalStateException if no session is active.
     */
    public void stop()
    {
        if (ACTIVE != state)
        {
            throw new IllegalStateException("no tracking session is active on port " + port);
        }
        interconnect.awaitEventsHandled();
        state = STOPPED;
        // A callback that read ACTIVE just before may still be running: wait for it before reading the results.
        interconnect.awaitEventsHandled();
        // After lost events every tracked unit: the bitmap may have been drained of a unit whose event was lost, by a
        // take that ends no epoch, so neither it nor the epoch counter can show the unit was written.
        final boolean eventsLost = this.eventsLost;
        for (int w = 0; w < writtenUnits.length; w++)
        {
            writtenUnits[w] |= eventsLost ? trackedUnits[w] : dirtyAtStart[w];
        }
    }

    /**
     * @return true if events were lost during the last session, so it reports every unit of the tracked pages.
     */
    public boolean usedFallback()
    {
        return eventsLost;
    }

    /**
     * @return the number of dirty lines (units) the stopped session reports.
     * @throws IllegalStateException if the session is not stopped.
     */
    public int dirtyLineCount()
    {
        checkStopped();
        int count = 0;
        for (final long word : writtenUnits)
        {
            count += Long.bitCount(word);
        }
        return count;
    }

    /**
     * Writes the byte offsets of the dirty lines (units) of the tracked pages, ascending.
     *
     * @param into the caller's buffer, at least {@link #dirtyLineCount()} long.
     * @return the number written.
     * @throws IllegalStateException    if the session is not stopped.
     * @throws IllegalArgumentException if the buffer is too short, with the length needed.
     */
    public int dirtyLines(final long[] into)
    {
        final int count = dirtyLineCount();
        if (into.length < count)
        {
            throw new IllegalArgumentException("buffer of " + into.length + " entries is too short for " + count +
                " dirty lines");
        }
        final int unitShift = geometry.unitShift();
        int n = 0;
        for (int w = 0; w < writtenUnits.length; w++)
        {
            long bits = writtenUnits[w];
            while (0 != bits)
            {
                into[n++] = (long)((w << 6) + Long.numberOfTrailingZeros(bits)) << unitShift;
                bits &= bits - 1;
            }
        }
        return n;
    }

    @Override
    public void onOwnership(final int port, final int wordIndex, final long newlyDirtyBits)
    {
        if (port == this.port && ACTIVE == state)
        {
            writtenUnits[wordIndex] |= newlyDirtyBits & trackedUnits[wordIndex];
        }
    }

    @Override
    public void onEventsLost(final long lostEvents)
    {
        if (ACTIVE == state)
        {
            eventsLost = true;
        }
    }

    @Override
    public String roleName()
    {
        return "page-write-tracker-port-" + port;
    }

    private void checkStopped()
    {
        if (STOPPED != state)
        {
            throw new IllegalStateException("no stopped tracking session on port " + port +
                (ACTIVE == state ? ": it is still active" : ": none was started"));
        }
    }
}
