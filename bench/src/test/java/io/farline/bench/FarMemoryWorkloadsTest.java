package io.farline.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FarMemoryWorkloadsTest
{
    @Test
    void shouldVisitEveryPageOnceAtALineStartWhenDrawingAMissCycle()
    {
        final int pages = 4096;
        final long[] cycle = FarMemoryWorkloads.missCycle(pages, 3);
        final boolean[] seen = new boolean[pages];
        boolean notFirstLine = false;
        int ascending = 0;
        for (int i = 0; i < cycle.length; i++)
        {
            final int page = (int)(cycle[i] / FarMemoryWorkloads.PAGE_SIZE_BYTES);
            assertTrue(!seen[page], "page " + page + " twice");
            seen[page] = true;
            assertEquals(0, cycle[i] % FarMemoryWorkloads.LINE_SIZE_BYTES);
            notFirstLine |= cycle[i] % FarMemoryWorkloads.PAGE_SIZE_BYTES != 0;
            ascending += i > 0 && cycle[i] > cycle[i - 1] ? 1 : 0;
        }
        assertTrue(notFirstLine, "lines anywhere in the page");
        assertTrue(ascending > pages / 3 && ascending < pages * 2 / 3, "a random order, not a scan: " + ascending);
        assertArrayEquals(cycle, FarMemoryWorkloads.missCycle(pages, 3));
    }

    @Test
    void shouldDrawAlignedInRangeAddressesHalfOfThemWritesWhenDrawingAMix()
    {
        final long space = 1L << 20;
        final long[] mix = FarMemoryWorkloads.readWriteMix(100_000, space, 5);
        int writes = 0;
        for (final long operation : mix)
        {
            final boolean write = (operation & FarMemoryWorkloads.WRITE_FLAG) != 0;
            final long address = operation & ~FarMemoryWorkloads.WRITE_FLAG;
            writes += write ? 1 : 0;
            assertEquals(0, address % Long.BYTES);
            assertTrue(address >= 0 && address + Long.BYTES <= space);
        }
        assertEquals(0.5, writes / 100_000.0, 0.01);
        for (final long address : FarMemoryWorkloads.randomLongAddresses(10_000, space, 5))
        {
            assertTrue(address % Long.BYTES == 0 && address >= 0 && address < space);
        }
    }

    @Test
    void shouldHoldEveryValueOnceWhenDrawingAPermutation()
    {
        final int[] permutation = FarMemoryWorkloads.permutation(1000, 11);
        final int[] sorted = permutation.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++)
        {
            assertEquals(i, sorted[i]);
        }
        assertTrue(!Arrays.equals(sorted, permutation), "shuffled");
    }
}
