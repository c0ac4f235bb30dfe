package io.farline.core.far.prefetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Access patterns run through an LRU cache in front of the prefetcher; each test prints its figures and its seed.
 */
class PrefetcherPatternTest
{
    private static final int FRAMES = 64;
    private static final int PREDICTION_CAPACITY = 16;

    @ParameterizedTest
    @ValueSource(longs = {1, 7, -1, -7})
    void shouldReachAHighHitRateWhenScanningWithAStride(final long stride)
    {
        final long seed = LruCacheSimulation.newSeed();
        final SplittableRandom random = new SplittableRandom(seed);
        final long pageCount = 100_000;
        final int pages = 5_000;
        // Start far enough from the edge that the whole scan fits: forward from the low part, backward from the top.
        final long span = Math.abs(stride) * pages;
        final long start = stride > 0 ? random.nextLong(pageCount - span) : span + random.nextLong(pageCount - span);
        final LruCacheSimulation simulation = simulate(pageCount, "stride " + stride + ", seed " + seed);
        for (int i = 0; i < pages; i++)
        {
            final long page = start + i * stride;
            // Several accesses per page, as a program walking an array touches each page many times.
            for (int touch = 0; touch < 4; touch++)
            {
                simulation.access(page);
            }
        }

        final Prefetcher prefetcher = simulation.prefetcher();
        report(simulation);
        assertTrue(prefetcher.hitRate() >= 0.9, simulation.summary());
        assertTrue(prefetcher.coverage() >= 0.9, simulation.summary());
        assertEquals(simulation.used(), prefetcher.usedCount(), simulation.summary());
        assertEquals(simulation.wasted(), prefetcher.wastedCount(), simulation.summary());
    }

    @Test
    void shouldReachAHighHitRateWhenAStrideRunsIntoTheEndOfTheAddressSpaceAndRestarts()
    {
        final long seed = LruCacheSimulation.newSeed();
        final long pageCount = 700;
        final LruCacheSimulation simulation = simulate(pageCount, "looping scan, seed " + seed);
        for (int pass = 0; pass < 20; pass++)
        {
            for (long page = 0; page < pageCount; page += 7)
            {
                simulation.access(page);
            }
        }

        report(simulation);
        assertTrue(simulation.prefetcher().hitRate() >= 0.9, simulation.summary());
    }

    @Test
    void shouldIssueFewPrefetchesWhenAccessesAreRandom()
    {
        final long seed = LruCacheSimulation.newSeed();
        final SplittableRandom random = new SplittableRandom(seed);
        final long pageCount = 1L << 20;
        final LruCacheSimulation simulation = simulate(pageCount, "uniform random, seed " + seed);
        for (int i = 0; i < 100_000; i++)
        {
            simulation.access(random.nextLong(pageCount));
        }

        final Prefetcher prefetcher = simulation.prefetcher();
        report(simulation);
        assertTrue(prefetcher.issuedCount() <= simulation.misses() / 100, simulation.summary());
        assertTrue(prefetcher.wastedCount() <= simulation.misses() / 100, simulation.summary());
    }

    @Test
    void shouldIssueFewPrefetchesWhenAccessesAreRandomOverASmallSpace()
    {
        // Small deltas repeat by chance here, so this tests the confidence threshold rather than luck.
        final long seed = LruCacheSimulation.newSeed();
        final SplittableRandom random = new SplittableRandom(seed);
        final long pageCount = 1024;
        final LruCacheSimulation simulation = simulate(pageCount, "random over 1024 pages, seed " + seed);
        for (int i = 0; i < 100_000; i++)
        {
            simulation.access(random.nextLong(pageCount));
        }

        final Prefetcher prefetcher = simulation.prefetcher();
        report(simulation);
        assertTrue(prefetcher.issuedCount() <= simulation.misses() / 20, simulation.summary());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,3", "2,5,-1", "-3,-1", "1,1,9"})
    void shouldLearnARepeatingDeltaPatternWhenItIsNotAStride(final String pattern)
    {
        final long seed = LruCacheSimulation.newSeed();
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] deltas = parse(pattern);
        final long pageCount = 1L << 20;
        final LruCacheSimulation simulation = simulate(pageCount, "deltas " + pattern + ", seed " + seed);
        long page = (pageCount / 4) + random.nextLong(pageCount / 2);
        for (int i = 0; i < 10_000; i++)
        {
            simulation.access(page);
            page += deltas[i % deltas.length];
        }

        final Prefetcher prefetcher = simulation.prefetcher();
        report(simulation);
        assertTrue(prefetcher.hitRate() >= 0.9, simulation.summary());
        assertTrue(prefetcher.coverage() >= 0.9, simulation.summary());
    }

    @Test
    void shouldLearnAPointerChaseWhenItRepeatsOverASetLargerThanTheCache()
    {
        final long seed = LruCacheSimulation.newSeed();
        final SplittableRandom random = new SplittableRandom(seed);
        final long pageCount = 1L << 20;
        final long[] cycle = new long[3 * FRAMES / 2];
        for (int i = 0; i < cycle.length; i++)
        {
            cycle[i] = random.nextLong(pageCount);
        }
        final LruCacheSimulation simulation = simulate(pageCount, "pointer chase over " + cycle.length +
            " pages, seed " + seed);
        for (int round = 0; round < 100; round++)
        {
            simulation.accessAll(cycle);
        }

        final Prefetcher prefetcher = simulation.prefetcher();
        report(simulation);
        assertTrue(prefetcher.hitRate() >= 0.9, simulation.summary());
        assertTrue(prefetcher.coverage() >= 0.9, simulation.summary());
    }

    @Test
    void shouldKeepMostOfTheBenefitWhenAStrideIsInterleavedWithNoise()
    {
        final long seed = LruCacheSimulation.newSeed();
        final SplittableRandom random = new SplittableRandom(seed);
        final long pageCount = 1L << 20;
        final LruCacheSimulation simulation = simulate(pageCount, "stride 3 with 5% noise, seed " + seed);
        long page = random.nextLong(pageCount / 2);
        for (int i = 0; i < 20_000; i++)
        {
            if (random.nextInt(100) < 5)
            {
                simulation.access(random.nextLong(pageCount));
            }
            else
            {
                simulation.access(page);
                page += 3;
            }
        }

        final Prefetcher prefetcher = simulation.prefetcher();
        report(simulation);
        assertTrue(prefetcher.hitRate() >= 0.8, simulation.summary());
        assertTrue(prefetcher.coverage() >= 0.6, simulation.summary());
    }

    private static LruCacheSimulation simulate(final long pageCount, final String label)
    {
        return new LruCacheSimulation(new Prefetcher(PrefetcherConfig.of(pageCount)), FRAMES, PREDICTION_CAPACITY,
            label);
    }

    private static void report(final LruCacheSimulation simulation)
    {
        System.out.println(simulation.summary());
    }

    private static long[] parse(final String pattern)
    {
        final String[] parts = pattern.split(",");
        final long[] deltas = new long[parts.length];
        for (int i = 0; i < parts.length; i++)
        {
            deltas[i] = Long.parseLong(parts[i].trim());
        }
        return deltas;
    }
}
