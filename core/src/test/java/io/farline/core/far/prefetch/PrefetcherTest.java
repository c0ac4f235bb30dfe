package io.farline.core.far.prefetch;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PrefetcherTest
{
    private static final long[] NO_PREDICTIONS = new long[0];

    private final long[] predictions = new long[16];
    private final Prefetcher prefetcher = new Prefetcher(PrefetcherConfig.of(1_000_000));

    @Test
    void shouldPredictNothingWhenFewerThanThreeMissesWereSeen()
    {
        assertArrayEquals(new long[0], miss(10));
        assertArrayEquals(new long[0], miss(11));
        assertEquals(0, prefetcher.issuedCount());
    }

    @Test
    void shouldPrefetchTwoPagesAheadWhenTwoEqualDeltasConfirmAStride()
    {
        miss(10);
        miss(11);
        assertArrayEquals(new long[] {13, 14}, miss(12));
        assertEquals(2, prefetcher.issuedCount());
    }

    @Test
    void shouldPrefetchBackwardWhenTheStrideIsNegative()
    {
        miss(100);
        miss(93);
        assertArrayEquals(new long[] {79, 72}, miss(86));
    }

    @Test
    void shouldRampUpTheDepthAndIssueOnlyNewPagesWhenTheStrideKeepsBeingConfirmed()
    {
        miss(10);
        miss(11);
        miss(12);
        // Depth 4: 14 is still pending, so only 15..17 are new.
        assertArrayEquals(new long[] {15, 16, 17}, used(13));
        // Depth 8 (the default maximum): 15..17 pending, 18..22 new.
        assertArrayEquals(new long[] {18, 19, 20, 21, 22}, used(14));
        // Steady state: one new page per event keeps the window 8 pages ahead.
        assertArrayEquals(new long[] {23}, used(15));
        assertArrayEquals(new long[] {24}, used(16));
    }

    @Test
    void shouldStopAtTheEndOfTheAddressSpaceWhenStriding()
    {
        final Prefetcher small = new Prefetcher(PrefetcherConfig.of(20));
        small.onMiss(15, predictions);
        small.onMiss(16, predictions);
        assertEquals(2, small.onMiss(17, predictions));
        assertArrayEquals(new long[] {18, 19}, Arrays.copyOf(predictions, 2));
        assertEquals(0, small.onPrefetchUsed(18, predictions));
    }

    @Test
    void shouldStopAtPageZeroWhenStridingBackward()
    {
        miss(4);
        miss(3);
        assertArrayEquals(new long[] {1, 0}, miss(2));
        assertArrayEquals(new long[0], used(1));
    }

    @Test
    void shouldPredictNothingWhenTheStrideBreaks()
    {
        miss(10);
        miss(11);
        miss(12);
        assertArrayEquals(new long[0], miss(500));
        assertArrayEquals(new long[0], miss(501));
    }

    @Test
    void shouldIgnoreARepeatedMissOnTheSamePage()
    {
        miss(10);
        miss(11);
        assertArrayEquals(new long[0], miss(11));
        assertArrayEquals(new long[] {13, 14}, miss(12));
        assertEquals(4, prefetcher.missCount());
    }

    @Test
    void shouldLearnAlternatingDeltasWhenEachContextWasSeenTwice()
    {
        for (final long page : new long[] {0, 1, 4, 5, 8, 9})
        {
            assertArrayEquals(new long[0], miss(page), "page " + page);
        }
        assertArrayEquals(new long[] {13, 16, 17, 20, 21, 24, 25, 28}, miss(12));
    }

    @Test
    void shouldPredictAfterOneSightingWhenMinConfidenceIsOne()
    {
        final Prefetcher eager = new Prefetcher(PrefetcherConfig.builder().pageCount(100).minConfidence(1).build());
        for (final long page : new long[] {0, 1, 4, 5})
        {
            assertEquals(0, eager.onMiss(page, predictions), "page " + page);
        }
        // (+1, +3) -> +1 and (+3, +1) -> +3 have each been seen once, which is enough here.
        final int count = eager.onMiss(8, predictions);
        assertArrayEquals(new long[] {9, 12, 13, 16, 17, 20, 21, 24}, Arrays.copyOf(predictions, count));
    }

    @Test
    void shouldPreferTheTablesPatternToAStrideWhenBothApply()
    {
        // Deltas +1, +1, +9 repeated: after two +1 a stride is confirmed, but the table knows +9 comes next.
        for (final long page : new long[] {0, 1, 2, 11, 12, 13, 22, 23, 24, 33, 34})
        {
            prefetcher.onMiss(page, NO_PREDICTIONS);
        }
        assertArrayEquals(new long[] {44, 45, 46, 55, 56, 57, 66, 67}, miss(35));
    }

    @Test
    void shouldReissueAPageWhenItsPrefetchWasWasted()
    {
        miss(10);
        miss(11);
        miss(12);
        prefetcher.onPrefetchWasted(14);
        assertArrayEquals(new long[] {14, 15, 16, 17}, used(13));
    }

    @Test
    void shouldReissueAPageWhenItsPrefetchWasCancelled()
    {
        miss(10);
        miss(11);
        miss(12);
        prefetcher.onPrefetchCancelled(14);
        assertArrayEquals(new long[] {14, 15, 16, 17}, used(13));
    }

    @Test
    void shouldCapPredictionsAtTheCallersArrayLength()
    {
        final long[] one = new long[1];
        prefetcher.onMiss(10, one);
        prefetcher.onMiss(11, one);
        assertEquals(1, prefetcher.onMiss(12, one));
        assertEquals(13, one[0]);
        assertEquals(1, prefetcher.onPrefetchUsed(13, one));
        assertEquals(14, one[0]);
    }

    @Test
    void shouldCapPredictionsAtTheConfiguredDepth()
    {
        final Prefetcher shallow = new Prefetcher(PrefetcherConfig.builder().pageCount(1000).maxDepth(3).build());
        for (long page = 100; page < 122; page += 2)
        {
            shallow.onMiss(page, NO_PREDICTIONS);
        }
        final int count = shallow.onMiss(122, predictions);
        assertArrayEquals(new long[] {124, 126, 128}, Arrays.copyOf(predictions, count));
    }

    @Test
    void shouldTrainWithoutIssuingWhenTheArrayIsEmpty()
    {
        for (long page = 10; page < 20; page++)
        {
            assertEquals(0, prefetcher.onMiss(page, NO_PREDICTIONS));
        }
        assertEquals(0, prefetcher.issuedCount());
        // The table learnt the stride: the next miss prefetches at full depth at once.
        assertArrayEquals(new long[] {21, 22, 23, 24, 25, 26, 27, 28}, miss(20));
    }

    @Test
    void shouldCountIssuedUsedWastedAndCancelledPages()
    {
        assertEquals(0.0, prefetcher.hitRate());
        assertEquals(0.0, prefetcher.coverage());
        miss(10);
        miss(11);
        miss(12);
        used(13);
        prefetcher.onPrefetchWasted(14);
        prefetcher.onPrefetchCancelled(15);

        assertEquals(3, prefetcher.missCount());
        assertEquals(2 + 3 - 1, prefetcher.issuedCount());
        assertEquals(1, prefetcher.usedCount());
        assertEquals(1, prefetcher.wastedCount());
        assertEquals(1, prefetcher.cancelledCount());
        assertEquals(2, prefetcher.pendingCount());
        assertEquals(0.5, prefetcher.hitRate());
        assertEquals(0.25, prefetcher.coverage());
    }

    @Test
    void shouldRejectAPageOutsideTheAddressSpace()
    {
        final Prefetcher small = new Prefetcher(PrefetcherConfig.of(20));
        final IndexOutOfBoundsException ex = assertThrows(
            IndexOutOfBoundsException.class, () -> small.onMiss(20, predictions));
        assertEquals("page 20 is outside [0, 20)", ex.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> small.onMiss(-1, predictions));
        assertThrows(IndexOutOfBoundsException.class, () -> small.onPrefetchUsed(20, predictions));
        assertThrows(IndexOutOfBoundsException.class, () -> small.onPrefetchWasted(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> small.onPrefetchCancelled(Long.MAX_VALUE));
        assertEquals(0, small.missCount());
    }

    @Test
    void shouldPredictOnlyDistinctPagesInsideTheAddressSpaceWhenPatternsAreRandom()
    {
        final long seed = LruCacheSimulation.newSeed();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 2_000; trial++)
        {
            final long pageCount = 1 + random.nextInt(random.nextBoolean() ? 8 : 80);
            final PrefetcherConfig config = PrefetcherConfig.builder()
                .pageCount(pageCount)
                .maxDepth(1 + random.nextInt(12))
                .minConfidence(1 + random.nextInt(3))
                .deltaTableSize(4 << random.nextInt(4))
                .build();
            checkBounds(new Prefetcher(config), random, "seed " + seed + ", trial " + trial + ", " + config);
        }
    }

    @Test
    void shouldNotAllocateOnTheAccessPath()
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final long threadId = Thread.currentThread().getId();
        final Prefetcher busy = new Prefetcher(PrefetcherConfig.of(1L << 30));
        final long[] randomPages = new long[4096];
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < randomPages.length; i++)
        {
            randomPages[i] = random.nextLong(1L << 30);
        }

        drive(busy, randomPages, 200_000);
        final long before = threads.getThreadAllocatedBytes(threadId);
        drive(busy, randomPages, 1_000_000);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertTrue(allocated < 1024, "allocated " + allocated + " bytes over 1,000,000 events; " + busy);
    }

    /**
     * Strided runs, delta patterns and random pages over a space of 2^30 pages, reporting every prediction as used,
     * wasted or cancelled in turn.
     */
    private void drive(final Prefetcher busy, final long[] randomPages, final int events)
    {
        long page = 1L << 20;
        for (int i = 0; i < events; i++)
        {
            final int phase = (i >> 10) & 3;
            if (0 == phase)
            {
                page += 3;
            }
            else if (1 == phase)
            {
                page += (i & 1) == 0 ? 1 : 5;
            }
            else
            {
                page = randomPages[i & (randomPages.length - 1)];
            }
            final int count = (i & 1) == 0 ? busy.onMiss(page, predictions) : busy.onPrefetchUsed(page, predictions);
            for (int j = 0; j < count; j++)
            {
                if (j % 3 == 1)
                {
                    busy.onPrefetchWasted(predictions[j]);
                }
                else if (j % 3 == 2)
                {
                    busy.onPrefetchCancelled(predictions[j]);
                }
            }
            if (page > (1L << 29))
            {
                page = 1L << 20;
            }
        }
    }

    private void checkBounds(final Prefetcher prefetcher, final SplittableRandom random, final String label)
    {
        final long pageCount = prefetcher.config().pageCount();
        final HashSet<Long> issued = new HashSet<>();
        final long[] out = new long[random.nextInt(11)];
        long page = random.nextLong(pageCount);
        long stride = 1 + random.nextInt(4);
        final long[] pattern = {1 + random.nextInt(3), -random.nextInt(3), 2};
        for (int event = 0; event < 300; event++)
        {
            final int style = (event / 40) % 3;
            if (0 == style)
            {
                page += stride;
                if (page < 0 || page >= pageCount)
                {
                    stride = -stride;
                    page = Math.floorMod(page, pageCount);
                }
            }
            else if (1 == style)
            {
                page = Math.floorMod(page + pattern[event % pattern.length], pageCount);
            }
            else
            {
                page = random.nextLong(pageCount);
            }

            final int count = issued.remove(page) ? prefetcher.onPrefetchUsed(page, out) :
                prefetcher.onMiss(page, out);
            final String context = label + ", event " + event + ", page " + page + ", predictions " +
                Arrays.toString(Arrays.copyOf(out, Math.max(0, Math.min(count, out.length))));
            assertTrue(count >= 0 && count <= Math.min(out.length, prefetcher.config().maxDepth()), context);
            final HashSet<Long> distinct = new HashSet<>();
            for (int i = 0; i < count; i++)
            {
                final long predicted = out[i];
                assertTrue(predicted >= 0 && predicted < pageCount && predicted != page, context);
                assertTrue(distinct.add(predicted), context);
                switch (random.nextInt(4))
                {
                    case 0:
                        prefetcher.onPrefetchWasted(predicted);
                        break;
                    case 1:
                        prefetcher.onPrefetchCancelled(predicted);
                        break;
                    default:
                        issued.add(predicted);
                        break;
                }
            }
        }
    }

    private long[] miss(final long page)
    {
        return Arrays.copyOf(predictions, prefetcher.onMiss(page, predictions));
    }

    private long[] used(final long page)
    {
        return Arrays.copyOf(predictions, prefetcher.onPrefetchUsed(page, predictions));
    }
}
