package io.farline.core.device;

import io.farline.core.interconnect.Interconnect;
import io.farline.core.tracking.DirtyRuns;
import io.farline.core.tracking.TrackedMemory;
import io.farline.core.tracking.TrackingGeometry;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageWriteTrackerTest
{
    private final TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(64 * 4096));
    private final Interconnect interconnect = new Interconnect();
    private final int port = interconnect.connect(memory);
    private final PageWriteTracker tracker = new PageWriteTracker(interconnect, port);

    @AfterEach
    void close()
    {
        interconnect.close();
        memory.close();
    }

    @Test
    void shouldReportTheLinesWrittenInTrackedPagesOnly()
    {
        interconnect.attach(tracker);
        tracker.start(2, 5);
        memory.buffer().putLong(1 * 4096, 1L);
        memory.buffer().putLong(2 * 4096 + 64 * 10, 1L);
        memory.buffer().putBytes(5 * 4096 + 64 * 63, new byte[128]); // line 63 of page 5 and line 0 of page 6
        memory.buffer().putLong(7 * 4096, 1L);
        tracker.stop();
        final long[] lines = new long[tracker.dirtyLineCount()];
        assertEquals(2, tracker.dirtyLines(lines));
        assertArrayEquals(new long[]{2 * 4096 + 64 * 10, 5 * 4096 + 64 * 63}, lines);
        assertFalse(tracker.usedFallback());
    }

    @Test
    void shouldReportLinesAlreadyDirtyAtStartUnlessDrainedFirst()
    {
        interconnect.attach(tracker);
        memory.buffer().putLong(3 * 4096, 1L);
        tracker.start(3);
        tracker.stop();
        assertEquals(1, tracker.dirtyLineCount(), "a line dirty at start may be written with no event: reported");

        memory.drainer().drain(new DirtyRuns(64));
        tracker.start(3);
        tracker.stop();
        assertEquals(0, tracker.dirtyLineCount(), "after a drain the report is exact");
    }

    @Test
    void shouldSeeEveryWriteOfAConcurrentWriterWhileTheInterconnectRunsOnItsThread() throws Exception
    {
        interconnect.attach(tracker);
        interconnect.start(new BusySpinIdleStrategy());
        final int[] pages = {0, 9, 10, 33, 63};
        final TreeSet<Long> expected = new TreeSet<>();
        final SplittableRandom random = new SplittableRandom(42);
        final long[] offsets = new long[2000];
        for (int i = 0; i < offsets.length; i++)
        {
            offsets[i] = random.nextInt(64 * 4096 / 8) * 8L;
            if (Arrays.binarySearch(pages, (int)(offsets[i] / 4096)) >= 0)
            {
                expected.add(offsets[i] & ~63L);
            }
        }
        tracker.start(pages);
        final Thread writer = new Thread(() ->
        {
            for (final long offset : offsets)
            {
                memory.buffer().putLong((int)offset, offset);
            }
        });
        writer.start();
        writer.join();
        tracker.stop();
        final long[] lines = new long[tracker.dirtyLineCount()];
        tracker.dirtyLines(lines);
        assertEquals(expected, new TreeSet<>(Arrays.stream(lines).boxed().toList()));
    }

    @Test
    void shouldReportEveryTrackedLineWhenEventsAreLost()
    {
        try (Interconnect small = new Interconnect(1024);
            TrackedMemory other = TrackedMemory.allocate(TrackingGeometry.of(64 * 4096)))
        {
            final int otherPort = small.connect(other);
            final PageWriteTracker lossy = new PageWriteTracker(small, otherPort);
            small.attach(lossy);
            lossy.start(0, 1, 2, 3);
            for (int line = 0; line < 4 * 64; line += 2)
            {
                other.buffer().putByte(line * 64, (byte)1);
            }
            assertTrue(small.lostEventCount() > 0);
            lossy.stop();
            assertTrue(lossy.usedFallback());
            assertEquals(4 * 64, lossy.dirtyLineCount(), "superset of the 128 written: all lines of the tracked pages");
        }
    }

    @Test
    void shouldNotReportASubsetWhenEventsWereLostAndARangeDrainTookLines()
    {
        try (Interconnect small = new Interconnect(1024);
            TrackedMemory other = TrackedMemory.allocate(TrackingGeometry.of(64 * 4096)))
        {
            final PageWriteTracker lossy = new PageWriteTracker(small, small.connect(other));
            small.attach(lossy);
            lossy.start(0, 1, 2, 3);
            for (int line = 0; line < 4 * 64; line += 2)
            {
                other.buffer().putByte(line * 64, (byte)1); // 128 clean stores; the 1 KiB ring holds 31 events
            }
            assertTrue(small.lostEventCount() > 0);
            final long epoch = other.epoch();
            other.drainer().drainUnits(3 * 64, 64, new DirtyRuns(33)); // write-back of page 3 only
            assertEquals(epoch, other.epoch(), "a range drain ends no epoch");
            lossy.stop();
            assertTrue(lossy.usedFallback());
            assertWrittenAreReported(lossy, 0, 4 * 64, 2);
        }
    }

    @Test
    void shouldNotReportASubsetWhenEventsWereLostAndADrainStoppedEarlyTookLines()
    {
        try (Interconnect small = new Interconnect(1024);
            TrackedMemory other = TrackedMemory.allocate(TrackingGeometry.of(64 * 4096)))
        {
            final PageWriteTracker lossy = new PageWriteTracker(small, small.connect(other));
            small.attach(lossy);
            lossy.start(0, 1, 2, 3);
            for (int line = 4 * 64 - 2; line >= 0; line -= 2)
            {
                other.buffer().putByte(line * 64, (byte)1); // the events of the last written, page 0, are lost
            }
            assertTrue(small.lostEventCount() > 0);
            final DirtyRuns runs = new DirtyRuns(8);
            other.drainer().drain(runs); // 8 runs from page 0, then the buffer is full
            assertFalse(runs.endsEpoch(), "a drain that stops early ends no epoch");
            lossy.stop();
            assertTrue(lossy.usedFallback());
            assertWrittenAreReported(lossy, 0, 4 * 64, 2);
        }
    }

    @Test
    void shouldReportEveryLineWrittenBeforeStopWhenEventsAreLostWhileTheInterconnectRunsOnItsThread()
    {
        // Losses near the end of a session race with stop(): its wait must cover the loss report, not only the
        // events read, or the session stops before the tracker hears of the loss and reports a subset.
        try (Interconnect small = new Interconnect(1024);
            TrackedMemory other = TrackedMemory.allocate(TrackingGeometry.of(64 * 4096)))
        {
            final PageWriteTracker lossy = new PageWriteTracker(small, small.connect(other));
            small.attach(lossy);
            small.start(new BusySpinIdleStrategy());
            final int[] pages = new int[64];
            Arrays.setAll(pages, page -> page);
            final DirtyRuns runs = new DirtyRuns(64 * 64);
            int subsets = 0;
            String first = null;
            final int sessions = 6000;
            for (int session = 0; session < sessions; session++)
            {
                other.drainer().drainEpoch(runs); // every line clean again, so each store raises an event
                lossy.start(pages);
                final int lines = 60 + session % 40; // the 1 KiB ring holds 31 events: some are lost
                for (int line = 0; line < lines; line++)
                {
                    other.buffer().putByte(line * 64, (byte)1);
                }
                lossy.stop();
                if (lossy.dirtyLineCount() < lines)
                {
                    subsets++;
                    first = null != first ? first : "session " + session + " wrote " + lines + " lines, reported " +
                        lossy.dirtyLineCount() + ", fallback " + lossy.usedFallback();
                }
            }
            assertTrue(small.lostEventCount() > 0, "no session lost events: the race this test is about never ran");
            assertEquals(0, subsets, subsets + " of " + sessions + " sessions reported a subset; first: " + first);
        }
    }

    @Test
    void shouldReportEveryTrackedLineWhenEventsWereLostAndADrainForgotSome()
    {
        try (Interconnect small = new Interconnect(1024);
            TrackedMemory other = TrackedMemory.allocate(TrackingGeometry.of(64 * 4096)))
        {
            final PageWriteTracker lossy = new PageWriteTracker(small, small.connect(other));
            small.attach(lossy);
            lossy.start(4);
            for (int page = 0; page < 64; page++)
            {
                other.buffer().putByte(page * 4096, (byte)1);
            }
            other.drainer().drain(new DirtyRuns(64));
            lossy.stop();
            assertTrue(lossy.usedFallback());
            assertEquals(64, lossy.dirtyLineCount(), "superset: all lines of the tracked page");
        }
    }

    private static void assertWrittenAreReported(
        final PageWriteTracker tracker, final int firstLine, final int endLine, final int step)
    {
        final long[] lines = new long[tracker.dirtyLineCount()];
        tracker.dirtyLines(lines);
        final TreeSet<Long> reported = new TreeSet<>(Arrays.stream(lines).boxed().toList());
        for (int line = firstLine; line < endLine; line += step)
        {
            assertTrue(reported.contains(line * 64L), "line " + line + " was written but is not reported");
        }
    }

    @Test
    void shouldRefuseToStartWhenNotAttachedToItsInterconnect()
    {
        final IllegalStateException unattached = assertThrows(IllegalStateException.class, () -> tracker.start(1));
        assertTrue(unattached.getMessage().contains("not attached"), unattached.getMessage());
        assertThrows(IllegalStateException.class, tracker::dirtyLineCount, "no session was started");

        interconnect.attach(tracker);
        tracker.start(1);
        memory.buffer().putLong(4096, 1L);
        tracker.stop();
        assertEquals(1, tracker.dirtyLineCount());
    }

    @Test
    void shouldRefuseBadUse()
    {
        interconnect.attach(tracker);
        assertThrows(IllegalArgumentException.class, () -> tracker.start(64));
        assertThrows(IllegalArgumentException.class, () -> tracker.start(-1));
        assertThrows(IllegalArgumentException.class, tracker::start);
        assertThrows(IllegalStateException.class, tracker::stop);
        assertThrows(IllegalStateException.class, tracker::dirtyLineCount);
        tracker.start(1);
        assertThrows(IllegalStateException.class, () -> tracker.start(1));
        final IllegalStateException active = assertThrows(IllegalStateException.class, tracker::dirtyLineCount);
        assertTrue(active.getMessage().contains("still active"), active.getMessage());
        memory.buffer().putLong(4096, 1L);
        tracker.stop();
        assertThrows(IllegalArgumentException.class, () -> tracker.dirtyLines(new long[0]));
    }
}
