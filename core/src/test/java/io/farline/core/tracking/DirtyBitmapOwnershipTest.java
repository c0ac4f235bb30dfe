package io.farline.core.tracking;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two writers marking units of the same bitmap words, interleaved or the same ones, so that their
 * compare-and-exchanges race, with an ownership sink attached: every unit must be set, and reported exactly once per
 * epoch, whichever writer won each race.
 */
class DirtyBitmapOwnershipTest
{
    private static final int WRITERS = 2;
    private static final int ROUNDS = 20;

    @Test
    void shouldReportEveryCleanToDirtyTransitionOnceWhenWritersRaceOnOneWord() throws Exception
    {
        raceWriters(WRITERS); // writer w marks units w, w + 2, ...: each race is lost to another unit's bit
    }

    @Test
    void shouldReportEveryCleanToDirtyTransitionOnceWhenWritersRaceOnOneUnit() throws Exception
    {
        raceWriters(1); // both writers mark every unit: a race may be lost to the very bit being set
    }

    private static void raceWriters(final int stride) throws Exception
    {
        try (TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(4 << 20)))
        {
            final DirtyBitmap bitmap = memory.dirtyBitmap();
            final int units = memory.geometry().unitCount();
            // XOR of every reported bit per word: a bit reported twice cancels out, one never reported stays 0.
            final AtomicLongArray reported = new AtomicLongArray(bitmap.wordCount());
            final AtomicLong reportedUnits = new AtomicLong();
            bitmap.ownershipSink((wordIndex, newlyDirtyBits) ->
            {
                long current;
                do
                {
                    current = reported.get(wordIndex);
                }
                while (!reported.compareAndSet(wordIndex, current, current ^ newlyDirtyBits));
                reportedUnits.addAndGet(Long.bitCount(newlyDirtyBits));
            });
            for (int round = 0; round < ROUNDS; round++)
            {
                final CyclicBarrier start = new CyclicBarrier(WRITERS);
                final Thread[] writers = new Thread[WRITERS];
                for (int w = 0; w < WRITERS; w++)
                {
                    final int first = w % stride;
                    writers[w] = new Thread(() ->
                    {
                        await(start);
                        for (int unit = first; unit < units; unit += stride)
                        {
                            bitmap.markUnit(unit);
                        }
                    });
                    writers[w].start();
                }
                for (final Thread writer : writers)
                {
                    writer.join();
                }
                assertEquals(units, reportedUnits.getAndSet(0), "units reported in round " + round);
                for (int word = 0; word < bitmap.wordCount(); word++)
                {
                    assertEquals(-1L, reported.getAndSet(word, 0), "round " + round + ", word " + word);
                    assertEquals(-1L, bitmap.takeWord(word), "round " + round + ", word " + word);
                }
            }
        }
    }

    private static void await(final CyclicBarrier barrier)
    {
        try
        {
            barrier.await();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
