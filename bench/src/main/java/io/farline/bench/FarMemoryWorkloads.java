package io.farline.bench;

import io.farline.core.far.FarMemory;

import java.util.SplittableRandom;

/**
 * The access patterns of the farmemory suite, drawn from seeds so that every fork and every run sees the same ones:
 * random aligned addresses, a read/write mix, and a cache-defeating page order for misses. Pure functions.
 */
final class FarMemoryWorkloads
{
    /** The far memory's page. */
    static final int PAGE_SIZE_BYTES = FarMemory.PAGE_SIZE_BYTES;
    /** The far memory's line. */
    static final int LINE_SIZE_BYTES = FarMemory.LINE_SIZE_BYTES;
    /** Set in a mix operation that is a write (addresses are 8-byte aligned). */
    static final long WRITE_FLAG = 1;
    /** Seed of every pattern of the suite. */
    static final long SEED = 0xFA4_3E30_41L;

    private FarMemoryWorkloads()
    {
    }

    /**
     * @param count      how many.
     * @param spaceBytes the range, a multiple of 8.
     * @param seed       of the draws.
     * @return {@code count} random 8-byte-aligned addresses in {@code [0, spaceBytes)}.
     */
    static long[] randomLongAddresses(final int count, final long spaceBytes, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] addresses = new long[count];
        for (int i = 0; i < count; i++)
        {
            addresses[i] = random.nextLong(spaceBytes / Long.BYTES) * Long.BYTES;
        }
        return addresses;
    }

    /**
     * A random 50/50 read/write mix over a working set.
     *
     * @param count      how many operations.
     * @param spaceBytes the working set, a multiple of 8.
     * @param seed       of the draws.
     * @return operations: an 8-byte-aligned address, with {@link #WRITE_FLAG} set for a write.
     */
    static long[] readWriteMix(final int count, final long spaceBytes, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] operations = new long[count];
        for (int i = 0; i < count; i++)
        {
            final long address = random.nextLong(spaceBytes / Long.BYTES) * Long.BYTES;
            operations[i] = random.nextBoolean() ? address | WRITE_FLAG : address;
        }
        return operations;
    }

    /**
     * Addresses that miss every time when visited in a cycle with a cache of fewer pages than {@code pageCount}:
     * every page once, in a random order (so neither a stride nor the CPU's prefetchers help), each at the start of a
     * random line of its page (so the missed line is anywhere in the page, and the rest of the page is one or two
     * READs around it).
     *
     * @param pageCount pages of the address space.
     * @param seed      of the order and the lines.
     * @return one 8-byte-aligned address per page.
     */
    static long[] missCycle(final int pageCount, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] pages = permutation(pageCount, random.nextLong());
        final long[] addresses = new long[pageCount];
        final int linesPerPage = PAGE_SIZE_BYTES / LINE_SIZE_BYTES;
        for (int i = 0; i < pageCount; i++)
        {
            addresses[i] = (long)pages[i] * PAGE_SIZE_BYTES + (long)random.nextInt(linesPerPage) * LINE_SIZE_BYTES;
        }
        return addresses;
    }

    /**
     * @param n    how many.
     * @param seed of the shuffle.
     * @return {@code 0..n-1} in a random order (Fisher-Yates).
     */
    static int[] permutation(final int n, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] values = new int[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = i;
        }
        for (int i = n - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
        return values;
    }
}
