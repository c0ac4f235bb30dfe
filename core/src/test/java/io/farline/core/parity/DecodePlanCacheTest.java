package io.farline.core.parity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.farline.core.parity.CodecChecks.SEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecodePlanCacheTest
{
    @Test
    void shouldCountThePatternsOfAtMostMLosses()
    {
        assertEquals(21, DecodePlanCache.patternCount(6, 2, Long.MAX_VALUE));
        assertEquals(55, DecodePlanCache.patternCount(10, 2, Long.MAX_VALUE));
        assertEquals(1470, DecodePlanCache.patternCount(14, 4, Long.MAX_VALUE));
        assertEquals(2, DecodePlanCache.patternCount(2, 1, Long.MAX_VALUE));
        assertEquals(1000, DecodePlanCache.patternCount(256, 128, 1000));
    }

    @ParameterizedTest(name = "{0}+{1}")
    @CsvSource({"1, 1, 2", "4, 2, 21", "8, 2, 55", "10, 4, 1470", "255, 1, 256"})
    void shouldHaveTwiceAsManySlotsAsPatternsWhenTheCodeIsSmall(final int k, final int m, final int patterns)
    {
        final int capacity = new DecodePlanCache(k, m).capacity();
        assertEquals(Integer.bitCount(capacity), 1, "capacity " + capacity);
        assertTrue(capacity >= 2 * patterns && capacity < 4 * patterns, "capacity " + capacity);
    }

    @Test
    void shouldBoundTheSlotsByTheCoefficientBudgetWhenTheCodeIsLarge()
    {
        final int capacity = new DecodePlanCache(128, 128).capacity();
        final int plans = DecodePlanCache.COEFFICIENT_BUDGET / (128 * 128);
        assertEquals(2 * plans, capacity);
    }

    @ParameterizedTest(name = "{0}+{1}")
    @CsvSource({"4, 2", "8, 2", "10, 4"})
    void shouldFindEveryPatternsFirstPlanOnceAllAreCached(final int k, final int m)
    {
        final int[][] parityMatrix = parityMatrix(new ReedSolomonCodec(k, m, 8));
        final DecodePlanCache cache = new DecodePlanCache(k, m);
        final List<boolean[]> patterns = patterns(k + m, m);
        final List<DecodePlan> plans = new ArrayList<>();
        for (final boolean[] present : patterns)
        {
            assertNull(cache.find(present, DecodePlan.hash(present)), CodecChecks.lostList(present));
            final DecodePlan plan = DecodePlan.build(parityMatrix, present);
            assertEquals(DecodePlan.hash(present), plan.hash());
            cache.add(plan, present);
            cache.add(DecodePlan.build(parityMatrix, present), present);
            plans.add(plan);
        }
        for (int i = 0; i < patterns.size(); i++)
        {
            final boolean[] present = patterns.get(i);
            assertSame(plans.get(i), cache.find(present, DecodePlan.hash(present)), CodecChecks.lostList(present));
        }
    }

    @Test
    void shouldLeaveNewPatternsUncachedButNeverConfuseThemWhenFull()
    {
        final int k = 128;
        final int m = 128;
        final int[][] parityMatrix = parityMatrix(new ReedSolomonCodec(k, m, 8));
        final DecodePlanCache cache = new DecodePlanCache(k, m);
        final SplittableRandom random = new SplittableRandom(SEED);
        final List<boolean[]> added = new ArrayList<>();
        int cached = 0;
        for (int round = 0; round < cache.capacity() + 8; round++)
        {
            // One lost data shard and one lost parity shard: cheap plans, and each pattern distinct.
            final boolean[] present = new boolean[k + m];
            Arrays.fill(present, true);
            present[round % k] = false;
            present[k + random.nextInt(m)] = false;
            if (added.stream().anyMatch(p -> Arrays.equals(p, present)))
            {
                continue;
            }
            final DecodePlan plan = DecodePlan.build(parityMatrix, present);
            cache.add(plan, present);
            added.add(present);
            final DecodePlan found = cache.find(present, plan.hash());
            if (null != found)
            {
                assertSame(plan, found, "seed=" + SEED + " " + CodecChecks.lostList(present));
                cached++;
            }
        }
        assertTrue(cached <= cache.capacity(), "seed=" + SEED + " cached " + cached);
        assertTrue(cached < added.size(), "seed=" + SEED + " every one of " + added.size() + " cached");
        for (final boolean[] present : added)
        {
            final DecodePlan found = cache.find(present, DecodePlan.hash(present));
            if (null != found)
            {
                assertTrue(found.matches(present), "seed=" + SEED + " " + CodecChecks.lostList(present));
            }
        }
    }

    @Test
    void shouldMatchOnlyTheExactPattern()
    {
        final int[][] parityMatrix = parityMatrix(new ReedSolomonCodec(4, 2, 8));
        final DecodePlan plan = DecodePlan.build(parityMatrix, new boolean[] {false, true, true, true, false, true});
        assertTrue(plan.matches(new boolean[] {false, true, true, true, false, true}));
        assertFalse(plan.matches(new boolean[] {false, true, true, true, true, true}));
        assertFalse(plan.matches(new boolean[] {false, true, true, true, false, false}));
        assertFalse(plan.matches(new boolean[] {true, false, true, true, false, true}));
        assertNotNull(plan.toString());
    }

    static int[][] parityMatrix(final ReedSolomonCodec codec)
    {
        final int[][] matrix = new int[codec.parityShards()][codec.dataShards()];
        for (int i = 0; i < matrix.length; i++)
        {
            for (int j = 0; j < matrix[i].length; j++)
            {
                matrix[i][j] = codec.coefficient(i, j);
            }
        }
        return matrix;
    }

    /** Every present-flags array with between 1 and maxLost of total shards missing. */
    static List<boolean[]> patterns(final int total, final int maxLost)
    {
        final List<boolean[]> patterns = new ArrayList<>();
        for (int mask = 1; mask < 1 << total; mask++)
        {
            if (Integer.bitCount(mask) <= maxLost)
            {
                final boolean[] present = new boolean[total];
                for (int i = 0; i < total; i++)
                {
                    present[i] = 0 == (mask & (1 << i));
                }
                patterns.add(present);
            }
        }
        return patterns;
    }
}
