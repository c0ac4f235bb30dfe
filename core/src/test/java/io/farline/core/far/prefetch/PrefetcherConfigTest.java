package io.farline.core.far.prefetch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PrefetcherConfigTest
{
    @Test
    void shouldUseTheDefaultsWhenOnlyThePageCountIsGiven()
    {
        final PrefetcherConfig config = PrefetcherConfig.of(4096);
        assertEquals(4096, config.pageCount());
        assertEquals(PrefetcherConfig.DEFAULT_MAX_DEPTH, config.maxDepth());
        assertEquals(PrefetcherConfig.DEFAULT_DELTA_TABLE_SIZE, config.deltaTableSize());
        assertEquals(PrefetcherConfig.DEFAULT_MIN_CONFIDENCE, config.minConfidence());
    }

    @Test
    void shouldKeepEverySettingWhenAllAreValid()
    {
        final PrefetcherConfig config = PrefetcherConfig.builder()
            .pageCount(1)
            .maxDepth(PrefetcherConfig.MAX_DEPTH)
            .deltaTableSize(PrefetcherConfig.MIN_DELTA_TABLE_SIZE)
            .minConfidence(3)
            .build();
        assertEquals(1, config.pageCount());
        assertEquals(64, config.maxDepth());
        assertEquals(4, config.deltaTableSize());
        assertEquals(3, config.minConfidence());
        assertNull(PrefetcherConfig.check(Long.MAX_VALUE, 1, PrefetcherConfig.MAX_DELTA_TABLE_SIZE, 1));
    }

    @Test
    void shouldRejectAPageCountWhenItIsNotPositive()
    {
        assertRejected("page count 0 must be at least 1", PrefetcherConfig.builder());
        assertRejected("page count -5 must be at least 1", PrefetcherConfig.builder().pageCount(-5));
    }

    @Test
    void shouldRejectADepthWhenItIsOutOfRange()
    {
        assertRejected("max depth 0 must be from 1 to 64 pages",
            PrefetcherConfig.builder().pageCount(10).maxDepth(0));
        assertRejected("max depth -1 must be from 1 to 64 pages",
            PrefetcherConfig.builder().pageCount(10).maxDepth(-1));
        assertRejected("max depth 65 must be from 1 to 64 pages",
            PrefetcherConfig.builder().pageCount(10).maxDepth(65));
    }

    @Test
    void shouldRejectATableSizeWhenItIsNotAPowerOfTwoInRange()
    {
        for (final int size : new int[] {100, 0, -4, 2, 1 << 25, Integer.MIN_VALUE})
        {
            assertRejected("delta table size " + size + " must be a power of two from 4 to 16777216",
                PrefetcherConfig.builder().pageCount(10).deltaTableSize(size));
        }
    }

    @Test
    void shouldRejectAMinConfidenceWhenItIsOutOfRange()
    {
        assertRejected("min confidence 0 must be from 1 to 3",
            PrefetcherConfig.builder().pageCount(10).minConfidence(0));
        assertRejected("min confidence 4 must be from 1 to 3",
            PrefetcherConfig.builder().pageCount(10).minConfidence(4));
    }

    private static void assertRejected(final String message, final PrefetcherConfig.Builder builder)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals(message, ex.getMessage());
    }
}
