package io.farline.core.far.prefetch;

/**
 * A delta-correlation (order-2 Markov) table: for a context of the last two deltas of the access stream, the delta
 * that followed it, with a saturating confidence from 1 to {@link #MAX_CONFIDENCE}.
 * <p>
 * Open addressing over parallel primitive arrays: a context hashes to a window of {@link #PROBE_LENGTH} consecutive
 * slots. An update either finds its context in the window or claims the window's weakest slot (empty, else lowest
 * confidence). A weak slot (confidence 1) is overwritten at once; a confirmed one is only aged by one step, so a
 * burst of noise cannot wipe out a learned pattern, while a pattern that stops recurring is displaced after a few
 * conflicts. Confidence 0 marks an empty slot. Allocation-free after construction; single-threaded.
 */
final class DeltaTable
{
    /** Slots searched per context. */
    static final int PROBE_LENGTH = 4;
    /** Saturation of the confidence counter: a 2-bit counter. */
    static final int MAX_CONFIDENCE = 3;
    /** Returned by {@link #find(long, long)} when the context is not in the table. */
    static final int NOT_FOUND = -1;

    private final long[] contextOlder;
    private final long[] contextNewer;
    private final long[] nextDelta;
    private final byte[] confidence;
    private final int mask;

    /**
     * @param size number of slots, a power of two of at least {@link #PROBE_LENGTH} (checked by the config).
     */
    DeltaTable(final int size)
    {
        this.contextOlder = new long[size];
        this.contextNewer = new long[size];
        this.nextDelta = new long[size];
        this.confidence = new byte[size];
        this.mask = size - 1;
    }

    /**
     * Records that {@code observed} followed the context ({@code older}, {@code newer}).
     */
    void update(final long older, final long newer, final long observed)
    {
        final int mask = this.mask;
        final int base = hash(older, newer);
        int victim = base & mask;
        int victimConfidence = Integer.MAX_VALUE;
        for (int i = 0; i < PROBE_LENGTH; i++)
        {
            final int slot = (base + i) & mask;
            final int slotConfidence = confidence[slot];
            if (0 != slotConfidence && contextOlder[slot] == older && contextNewer[slot] == newer)
            {
                if (nextDelta[slot] == observed)
                {
                    confidence[slot] = (byte)Math.min(slotConfidence + 1, MAX_CONFIDENCE);
                }
                else if (slotConfidence > 1)
                {
                    // Hysteresis: one contrary observation weakens a confirmed prediction before replacing it.
                    confidence[slot] = (byte)(slotConfidence - 1);
                }
                else
                {
                    nextDelta[slot] = observed;
                }
                return;
            }
            if (slotConfidence < victimConfidence)
            {
                victim = slot;
                victimConfidence = slotConfidence;
            }
        }

        if (victimConfidence <= 1)
        {
            contextOlder[victim] = older;
            contextNewer[victim] = newer;
            nextDelta[victim] = observed;
            confidence[victim] = 1;
        }
        else
        {
            // Every slot of the window holds a confirmed pattern: age the weakest instead of replacing it.
            confidence[victim] = (byte)(victimConfidence - 1);
        }
    }

    /**
     * @return the slot holding the context ({@code older}, {@code newer}), or {@link #NOT_FOUND}.
     */
    int find(final long older, final long newer)
    {
        final int mask = this.mask;
        final int base = hash(older, newer);
        for (int i = 0; i < PROBE_LENGTH; i++)
        {
            final int slot = (base + i) & mask;
            if (0 != confidence[slot] && contextOlder[slot] == older && contextNewer[slot] == newer)
            {
                return slot;
            }
        }
        return NOT_FOUND;
    }

    /**
     * @return the delta predicted by a slot that {@link #find(long, long)} returned.
     */
    long nextDelta(final int slot)
    {
        return nextDelta[slot];
    }

    /**
     * @return the confidence of a slot, 0 if empty.
     */
    int confidence(final int slot)
    {
        return confidence[slot];
    }

    /**
     * @return the number of slots.
     */
    int size()
    {
        return confidence.length;
    }

    private static int hash(final long older, final long newer)
    {
        long h = older * 0x9E3779B97F4A7C15L + newer;
        h *= 0xC2B2AE3D27D4EB4FL;
        return (int)(h ^ (h >>> 32));
    }
}
