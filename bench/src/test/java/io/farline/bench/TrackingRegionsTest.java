package io.farline.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrackingRegionsTest
{
    @Test
    void shouldDrawAlignedInRangeOffsetsTheSameWayForTheSameSeed()
    {
        final int[] offsets = TrackingRegions.randomLongOffsets(10_000, 4096, 42);
        assertEquals(10_000, offsets.length);
        for (final int offset : offsets)
        {
            assertEquals(0, offset % Long.BYTES, "offset " + offset);
            assertTrue(offset >= 0 && offset <= 4096 - Long.BYTES, "offset " + offset);
        }
        assertArrayEquals(offsets, TrackingRegions.randomLongOffsets(10_000, 4096, 42));
        assertFalse(Arrays.equals(offsets, TrackingRegions.randomLongOffsets(10_000, 4096, 43)));
    }

    @Test
    void shouldDrawEveryOffsetSlotEventuallyWhenTheRegionIsSmall()
    {
        final int[] offsets = TrackingRegions.randomLongOffsets(1000, 64, 1);
        assertArrayEquals(new int[]{ 0, 8, 16, 24, 32, 40, 48, 56 },
            IntStream.of(offsets).distinct().sorted().toArray());
    }

    @Test
    void shouldShuffleEveryLineExactlyOnceWhenDrawingAPermutation()
    {
        final int[] lines = TrackingRegions.linePermutation(TrackingRegions.LINE_COUNT, TrackingRegions.SEED);
        final int[] sorted = lines.clone();
        Arrays.sort(sorted);
        assertArrayEquals(IntStream.range(0, TrackingRegions.LINE_COUNT).toArray(), sorted);
        assertFalse(Arrays.equals(sorted, lines), "not shuffled");
        assertArrayEquals(lines, TrackingRegions.linePermutation(TrackingRegions.LINE_COUNT, TrackingRegions.SEED));
    }

    @Test
    void shouldPickTheShareOfDistinctLinesInAscendingOrder()
    {
        final int[] onePercent = TrackingRegions.randomDistinctLines(TrackingRegions.LINE_COUNT, 1, 7);
        assertEquals(TrackingRegions.LINE_COUNT / 100, onePercent.length);
        for (int i = 1; i < onePercent.length; i++)
        {
            assertTrue(onePercent[i - 1] < onePercent[i], "not strictly ascending at " + i);
        }
        assertTrue(onePercent[0] >= 0 && onePercent[onePercent.length - 1] < TrackingRegions.LINE_COUNT);

        assertArrayEquals(IntStream.range(0, 1000).toArray(), TrackingRegions.randomDistinctLines(1000, 100, 7));
    }

    @Test
    void shouldRefuseAShareOutsideOneToAHundredPercent()
    {
        assertThrows(IllegalArgumentException.class, () -> TrackingRegions.randomDistinctLines(1000, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> TrackingRegions.randomDistinctLines(1000, 101, 1));
    }

    @Test
    void shouldSizeTheRegionForPowerOfTwoWrappingAndWholeBatches()
    {
        assertEquals(1 << 20, TrackingRegions.LINE_COUNT);
        assertEquals(0, TrackingRegions.REGION_LENGTH_BYTES & (TrackingRegions.REGION_LENGTH_BYTES - 1));
        assertEquals(0, TrackingRegions.LINE_COUNT % TrackedBufferCleanPutLongLatencyBenchmark.BATCH);
        assertEquals(0, TrackedBufferPutLongLatencyBenchmark.OFFSET_COUNT % TrackedBufferPutLongLatencyBenchmark.BATCH);
    }
}
