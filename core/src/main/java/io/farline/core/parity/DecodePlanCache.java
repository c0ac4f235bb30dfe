package io.farline.core.parity;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@link DecodePlan}s of one codec, keyed by erasure pattern, so that decoding a pattern seen before neither
 * eliminates a matrix nor allocates.
 * <p>
 * An open-addressing table with linear probing, filled lazily and never emptied: a slot goes from null to a plan
 * once, by compare-and-set, and keeps it. The table has room for every pattern of at most m losses when that is
 * affordable, so for the usual small codes (4+2 has 21 patterns, 8+2 has 55, 10+4 has 1,470) each pattern is
 * built at most once per codec, or a few times if threads race on its first decode. For large codes the table is
 * sized by a memory budget instead: room for about {@link #COEFFICIENT_BUDGET} / (k x m) plans of about k x m
 * coefficients each, twice that if every slot fills, after which patterns that found no slot are planned afresh
 * (eliminating and allocating) on every decode.
 * <p>
 * Thread-safe without locks; {@link #find} does not allocate.
 */
final class DecodePlanCache
{
    /** Coefficients the cache is sized for, each plan holding about k x m. */
    static final int COEFFICIENT_BUDGET = 1 << 18;
    /** Slots probed before a lookup gives up or an insertion leaves a plan uncached. */
    static final int MAX_PROBES = 32;

    private final AtomicReferenceArray<DecodePlan> slots;
    private final int mask;

    /**
     * @param dataShards   k.
     * @param parityShards m.
     */
    DecodePlanCache(final int dataShards, final int parityShards)
    {
        final long plans = Math.min(
            patternCount(dataShards + parityShards, parityShards, COEFFICIENT_BUDGET),
            Math.max(1, COEFFICIENT_BUDGET / ((long)dataShards * parityShards)));
        // Twice the plans it may hold, so that linear probes stay short even when every pattern is cached.
        final int capacity = Integer.highestOneBit((int)(2 * plans - 1)) << 1;
        slots = new AtomicReferenceArray<>(capacity);
        mask = capacity - 1;
    }

    /**
     * @return the number of non-empty sets of at most {@code maxLost} of {@code total} shards, or {@code cap} if
     * that is more.
     */
    static long patternCount(final int total, final int maxLost, final long cap)
    {
        long count = 0;
        long binomial = 1;
        for (int lost = 1; lost <= maxLost; lost++)
        {
            // C(total, lost) = C(total, lost - 1) * (total - lost + 1) / lost, exact at every step.
            binomial = binomial * (total - lost + 1) / lost;
            count += binomial;
            if (count >= cap)
            {
                return cap;
            }
        }
        return count;
    }

    /**
     * @return the number of slots, a power of two.
     */
    int capacity()
    {
        return slots.length();
    }

    /**
     * @param present k + m flags with between 1 and m of them false.
     * @param hash    {@link DecodePlan#hash(boolean[]) DecodePlan.hash(present)}.
     * @return the cached plan for the pattern, or null if there is none yet.
     */
    DecodePlan find(final boolean[] present, final int hash)
    {
        for (int probe = 0; probe < MAX_PROBES; probe++)
        {
            // Acquire pairs with the compare-and-set in add, which published the plan; a plan's fields are final,
            // so this is belt and braces rather than the only thing making it safe.
            final DecodePlan plan = slots.getAcquire((hash + probe) & mask);
            if (null == plan)
            {
                return null;
            }
            if (plan.hash() == hash && plan.matches(present))
            {
                return plan;
            }
        }
        return null;
    }

    /**
     * Caches a plan unless its pattern is already cached or its probe window is full; either way the caller may
     * use the plan it built.
     *
     * @param plan    the plan for {@code present}.
     * @param present the pattern it was built for.
     */
    void add(final DecodePlan plan, final boolean[] present)
    {
        final int hash = plan.hash();
        for (int probe = 0; probe < MAX_PROBES; probe++)
        {
            final int index = (hash + probe) & mask;
            // Publishes the fully built plan to find's acquire load; a slot is written at most once.
            if (slots.compareAndSet(index, null, plan))
            {
                return;
            }
            final DecodePlan existing = slots.getAcquire(index);
            if (existing.hash() == hash && existing.matches(present))
            {
                return;
            }
        }
    }
}
