package io.farline.bench;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairedTimesTest
{
    private static final long TRACKED_BATCH_NS = 2_000_000;

    @Test
    void shouldPutTheTrackedSideFirstEveryOtherCall()
    {
        final List<String> order = new ArrayList<>();
        final PairedTimes times = new PairedTimes();
        final PairedTimes.Sides sides = new PairedTimes.Sides()
        {
            @Override
            public void trackedBatch()
            {
                order.add("tracked");
            }

            @Override
            public void rawBatch()
            {
                order.add("raw");
            }
        };
        for (int i = 0; i < 3; i++)
        {
            times.timeBatches(sides);
        }
        assertEquals(List.of("tracked", "raw", "raw", "tracked", "tracked", "raw"), order);
    }

    @Test
    void shouldCountEachBatchOnItsOwnSideWhicheverGoesFirst()
    {
        final PairedTimes times = new PairedTimes();
        final PairedTimes.Sides slowTracked = new PairedTimes.Sides()
        {
            @Override
            public void trackedBatch()
            {
                final long deadlineNs = System.nanoTime() + TRACKED_BATCH_NS;
                while (System.nanoTime() - deadlineNs < 0)
                {
                    Thread.onSpinWait();
                }
            }

            @Override
            public void rawBatch()
            {
            }
        };
        for (int pair = 1; pair <= 2; pair++)
        {
            times.timeBatches(slowTracked);
            assertTrue(times.trackedNs >= pair * TRACKED_BATCH_NS, "pair " + pair + ": " + times.trackedNs);
            assertTrue(times.rawNs < times.trackedNs / pair, "pair " + pair + ": raw " + times.rawNs);
        }

        times.reset();
        assertEquals(0, times.trackedNs);
        assertEquals(0, times.rawNs);
    }

    @Test
    void shouldNameItsCountersAsJmhReportsThem() throws NoSuchFieldException
    {
        for (final String counter : List.of(PairedTimes.TRACKED_NS_COUNTER, PairedTimes.RAW_NS_COUNTER))
        {
            final int modifiers = PairedTimes.class.getField(counter).getModifiers();
            assertTrue(Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers), counter);
            assertEquals(long.class, PairedTimes.class.getField(counter).getType(), counter);
        }
    }
}
