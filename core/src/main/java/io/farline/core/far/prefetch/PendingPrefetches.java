package io.farline.core.far.prefetch;

import java.util.Arrays;

/**
 * A lossy set of pages whose prefetch is pending (issued, neither used, wasted nor cancelled yet), so that a page
 * predicted again by a later event is not issued twice.
 * <p>
 * Two-way set associative: a page hashes to a pair of slots; adding to a full pair drops the older of the two.
 * Forgetting a page only lets it be issued again (the caller then cancels it as already local); the set never claims
 * a page it was not given. Allocation-free after construction; single-threaded.
 */
final class PendingPrefetches
{
    private static final long EMPTY = -1;

    private final long[] pages;
    private final int shift;

    /**
     * @param size number of slots, a power of two of at least 2.
     */
    PendingPrefetches(final int size)
    {
        this.pages = new long[size];
        // The top bits of the hash select a pair: one bit fewer than a slot index (none for a single pair).
        this.shift = 64 - Integer.numberOfTrailingZeros(size);
        Arrays.fill(pages, EMPTY);
    }

    /**
     * @param maxDepth the most pages one event may issue.
     * @return a slot count that holds a window of {@code maxDepth} pending pages with few collisions between them
     * even when the pages are unrelated (a pointer chase): the power of two at or above {@code 32 * maxDepth}, at
     * least 256.
     */
    static int sizeFor(final int maxDepth)
    {
        final int wanted = Math.max(256, 32 * maxDepth);
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    /**
     * Adds a page unless it is already pending.
     *
     * @return true if the page was added, false if it was already pending.
     */
    boolean add(final long page)
    {
        final long[] pages = this.pages;
        final int first = pairOf(page);
        final long newer = pages[first];
        final long older = pages[first + 1];
        if (newer == page || older == page)
        {
            return false;
        }
        // The first slot of a pair holds its newer page: the one there moves over, dropping the older if any.
        if (EMPTY != newer)
        {
            pages[first + 1] = newer;
        }
        pages[first] = page;
        return true;
    }

    /**
     * Removes a page if it is held; does nothing otherwise.
     */
    void remove(final long page)
    {
        final int first = pairOf(page);
        if (pages[first] == page)
        {
            pages[first] = EMPTY;
        }
        else if (pages[first + 1] == page)
        {
            pages[first + 1] = EMPTY;
        }
    }

    /**
     * @return true if the page is held as pending.
     */
    boolean contains(final long page)
    {
        final int first = pairOf(page);
        return pages[first] == page || pages[first + 1] == page;
    }

    private int pairOf(final long page)
    {
        // Fibonacci hashing: the top bits of the product spread runs of pages (strides) over distinct pairs.
        // Shifting by one first and then by up to 63 leaves no pair bits for a 2-slot set, where >>> 64 would not.
        return (int)(((page * 0x9E3779B97F4A7C15L) >>> 1) >>> shift) << 1;
    }
}
