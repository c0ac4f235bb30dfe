package io.farline.core.parity;

import java.util.Arrays;

/**
 * One output shard of a code as a linear combination over GF(2^8) of source shards:
 * {@code out = sum_j coefficient_j * shards[source_j]}, with the sources split up front by the loop that serves
 * them. Sources with coefficient 1 are XORed eight bytes at a time; the others go through the {@link Gf256#MUL}
 * table two at a time, so the output block is read and written once per pair; sources with coefficient 0 are
 * dropped.
 * <p>
 * Immutable, so it may be shared by threads once published; {@link #apply} does not allocate.
 */
final class CodingRow
{
    private final int[] xorSources;
    private final int[] mulSources;
    private final int[] mulCoefficients;

    /**
     * @param sources      indices into the shard array later passed to {@link #apply}; copied.
     * @param coefficients one per source, each in {@code [0, 256)}; copied.
     */
    CodingRow(final int[] sources, final int[] coefficients)
    {
        int ones = 0;
        int others = 0;
        for (final int coefficient : coefficients)
        {
            ones += 1 == coefficient ? 1 : 0;
            others += coefficient > 1 ? 1 : 0;
        }
        xorSources = new int[ones];
        mulSources = new int[others];
        mulCoefficients = new int[others];
        for (int j = 0, x = 0, p = 0; j < sources.length; j++)
        {
            final int coefficient = coefficients[j];
            if (1 == coefficient)
            {
                xorSources[x++] = sources[j];
            }
            else if (coefficient > 1)
            {
                mulSources[p] = sources[j];
                mulCoefficients[p++] = coefficient;
            }
        }
    }

    /**
     * Writes bytes {@code [offset, offset + length)} of the output.
     *
     * @param shards the shards the source indices refer to; only read.
     * @param out    the output shard, not one of the sources; overwritten in the range.
     * @param offset first byte.
     * @param length number of bytes.
     */
    void apply(final byte[][] shards, final byte[] out, final int offset, final int length)
    {
        final int[] xorSources = this.xorSources;
        final int[] mulSources = this.mulSources;
        final int[] mulCoefficients = this.mulCoefficients;
        int x = 0;
        int p = 0;

        // The first contribution overwrites the range, so the output needs no clearing pass.
        if (xorSources.length > 0)
        {
            Shards.copy(shards[xorSources[x++]], out, offset, length);
        }
        else if (mulSources.length > 1)
        {
            Shards.mulPair(mulCoefficients[0], shards[mulSources[0]], mulCoefficients[1], shards[mulSources[1]],
                out, offset, length);
            p = 2;
        }
        else if (mulSources.length > 0)
        {
            Shards.mul(mulCoefficients[0], shards[mulSources[0]], out, offset, length);
            p = 1;
        }
        else
        {
            Arrays.fill(out, offset, offset + length, (byte)0);
        }

        for (; x + 1 < xorSources.length; x += 2)
        {
            Shards.xorInto(shards[xorSources[x]], shards[xorSources[x + 1]], out, offset, length);
        }
        if (x < xorSources.length)
        {
            Shards.xorInto(shards[xorSources[x]], out, offset, length);
        }
        for (; p + 1 < mulSources.length; p += 2)
        {
            Shards.mulPairXorInto(mulCoefficients[p], shards[mulSources[p]], mulCoefficients[p + 1],
                shards[mulSources[p + 1]], out, offset, length);
        }
        if (p < mulSources.length)
        {
            Shards.mulXorInto(mulCoefficients[p], shards[mulSources[p]], out, offset, length);
        }
    }

    @Override
    public String toString()
    {
        return "CodingRow{xor=" + Arrays.toString(xorSources) + ", mul=" + Arrays.toString(mulSources) + " by " +
            Arrays.toString(mulCoefficients) + '}';
    }
}
