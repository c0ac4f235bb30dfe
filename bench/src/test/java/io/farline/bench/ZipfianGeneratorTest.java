package io.farline.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipfianGeneratorTest
{
    private static final long SEED = 42;
    private static final int ITEMS = 10_000;
    private static final int DRAWS = 2_000_000;

    @Test
    void shouldDrawTheSameRanksWhenGivenTheSameSeed()
    {
        final ZipfianGenerator a = new ZipfianGenerator(ITEMS, ZipfianGenerator.YCSB_THETA, SEED);
        final ZipfianGenerator b = new ZipfianGenerator(ITEMS, ZipfianGenerator.YCSB_THETA, SEED);
        final ZipfianGenerator c = new ZipfianGenerator(ITEMS, ZipfianGenerator.YCSB_THETA, SEED + 1);
        boolean differs = false;
        for (int i = 0; i < 10_000; i++)
        {
            final long rank = a.nextRank();
            assertEquals(rank, b.nextRank());
            differs |= rank != c.nextRank();
        }
        assertTrue(differs, "another seed draws other ranks");
    }

    @Test
    void shouldDrawOnlyRanksInRangeAndReachTheColdEnd()
    {
        final ZipfianGenerator zipfian = new ZipfianGenerator(ITEMS, ZipfianGenerator.YCSB_THETA, SEED);
        long max = 0;
        for (int i = 0; i < DRAWS; i++)
        {
            final long rank = zipfian.nextRank();
            assertTrue(rank >= 0 && rank < ITEMS, "rank " + rank);
            max = Math.max(max, rank);
        }
        assertTrue(max > ITEMS * 9L / 10, "the coldest tenth is drawn too: max " + max);
    }

    @Test
    void shouldDrawTheHottestRanksWithTheirZipfianProbabilities()
    {
        final ZipfianGenerator zipfian = new ZipfianGenerator(ITEMS, ZipfianGenerator.YCSB_THETA, SEED);
        final long[] counts = histogram(zipfian);
        for (int rank = 0; rank < 2; rank++) // exact in the algorithm
        {
            final double expected = zipfian.probability(rank);
            final double drawn = (double)counts[rank] / DRAWS;
            assertEquals(expected, drawn, 5 * Math.sqrt(expected / DRAWS), "rank " + rank);
        }
        assertTrue(counts[0] > counts[1] && counts[1] > counts[2] && counts[2] > counts[10] &&
            counts[10] > counts[100] && counts[100] > counts[1000], "frequencies fall with rank");
    }

    @Test
    void shouldGiveTheTopRanksTheirZipfianShareOfTheDraws()
    {
        final ZipfianGenerator zipfian = new ZipfianGenerator(ITEMS, ZipfianGenerator.YCSB_THETA, SEED);
        final long[] counts = histogram(zipfian);
        for (final int top : new int[]{ 10, 100, 1000 })
        {
            double expected = 0;
            long drawn = 0;
            for (int rank = 0; rank < top; rank++)
            {
                expected += zipfian.probability(rank);
                drawn += counts[rank];
            }
            // Gray's closed form approximates ranks above 1: within two points of the exact share.
            assertEquals(expected, (double)drawn / DRAWS, 0.02, "share of the top " + top);
        }
        double total = 0;
        for (int rank = 0; rank < ITEMS; rank++)
        {
            total += zipfian.probability(rank);
        }
        assertEquals(1.0, total, 1e-9, "the exact probabilities sum to 1");
    }

    @Test
    void shouldComputeZetaAsTheGeneralisedHarmonicNumber()
    {
        assertEquals(1.0, ZipfianGenerator.zeta(1, 0.5), 1e-15);
        assertEquals(1.0 + 1.0 / Math.sqrt(2) + 1.0 / Math.sqrt(3), ZipfianGenerator.zeta(3, 0.5), 1e-15);
    }

    @Test
    void shouldRefuseTooFewItemsOrAThetaOutsideZeroToOne()
    {
        assertThrows(IllegalArgumentException.class, () -> new ZipfianGenerator(1, 0.99, SEED));
        assertThrows(IllegalArgumentException.class, () -> new ZipfianGenerator(100, 0, SEED));
        assertThrows(IllegalArgumentException.class, () -> new ZipfianGenerator(100, 1, SEED));
        assertThrows(IllegalArgumentException.class, () -> new ZipfianGenerator(100, Double.NaN, SEED));
    }

    private static long[] histogram(final ZipfianGenerator zipfian)
    {
        final long[] counts = new long[ITEMS];
        for (int i = 0; i < DRAWS; i++)
        {
            counts[(int)zipfian.nextRank()]++;
        }
        return counts;
    }
}
