package io.farline.core.far.prefetch;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingPrefetchesTest
{
    @Test
    void shouldRefuseAPageWhenItIsAlreadyPending()
    {
        final PendingPrefetches pending = new PendingPrefetches(256);
        assertTrue(pending.add(42));
        assertFalse(pending.add(42));
        assertTrue(pending.contains(42));
    }

    @Test
    void shouldAcceptAPageAgainWhenItWasRemoved()
    {
        final PendingPrefetches pending = new PendingPrefetches(256);
        pending.add(0);
        pending.remove(0);
        assertFalse(pending.contains(0));
        assertTrue(pending.add(0));
        pending.remove(12345);
        assertTrue(pending.contains(0));
    }

    @Test
    void shouldDropTheOlderPageWhenAPairIsFull()
    {
        // Two slots: one pair, so every page shares it.
        final PendingPrefetches pending = new PendingPrefetches(2);
        pending.add(1);
        pending.add(2);
        pending.add(3);
        assertFalse(pending.contains(1));
        assertTrue(pending.contains(2));
        assertTrue(pending.contains(3));
    }

    @Test
    void shouldHoldEveryPageOfAStrideWhenTheRunFitsTheSet()
    {
        final PendingPrefetches pending = new PendingPrefetches(256);
        for (long page = 1_000; page < 1_000 + 64 * 7; page += 7)
        {
            assertTrue(pending.add(page), "page " + page);
        }
        for (long page = 1_000; page < 1_000 + 64 * 7; page += 7)
        {
            assertTrue(pending.contains(page), "page " + page);
        }
    }

    @Test
    void shouldNeverClaimAPageWhenItWasNotAddedOrWasRemoved()
    {
        final long seed = LruCacheSimulation.newSeed();
        final SplittableRandom random = new SplittableRandom(seed);
        final PendingPrefetches pending = new PendingPrefetches(16);
        final HashSet<Long> model = new HashSet<>();
        for (int i = 0; i < 100_000; i++)
        {
            final long page = random.nextLong(200);
            if (random.nextBoolean())
            {
                pending.add(page);
                model.add(page);
            }
            else
            {
                pending.remove(page);
                model.remove(page);
            }
            final long probe = random.nextLong(200);
            if (pending.contains(probe))
            {
                assertTrue(model.contains(probe), "seed " + seed + ", step " + i + ", page " + probe);
            }
        }
    }

    @Test
    void shouldSizeTheSetFromTheDepth()
    {
        assertEquals(256, PendingPrefetches.sizeFor(1));
        assertEquals(256, PendingPrefetches.sizeFor(8));
        assertEquals(512, PendingPrefetches.sizeFor(9));
        assertEquals(2048, PendingPrefetches.sizeFor(64));
    }
}
