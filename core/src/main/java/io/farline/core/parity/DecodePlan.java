package io.farline.core.parity;

import java.util.Arrays;

/**
 * How a {@link ReedSolomonCodec} rebuilds the missing shards of one erasure pattern, worked out once so that
 * {@link DecodePlanCache} can keep it: building a plan allocates and eliminates a small matrix, applying one does
 * neither.
 * <p>
 * With e data shards lost, the plan pairs them with the first e present parity shards and works in three steps,
 * each over one block of the stripe at a time so the block stays in cache:
 * <ol>
 * <li><b>Syndromes.</b> Into each lost data shard goes its parity shard minus what the present data contributes
 * to it (minus and plus are both XOR here): {@code s_r = parity_{p_r} + sum_{j present} M[p_r][j] * data_j}.
 * What is left is {@code s = A * x} for the lost data x, where {@code A = M[p][lost]} is e x e.</li>
 * <li><b>Elimination.</b> Gauss-Jordan on A, replayed on the shards as row operations: scale a shard in place,
 * or add a multiple of one shard to another. That turns s into x without a scratch buffer. No pivoting is needed:
 * A is a square submatrix of a scaled Cauchy matrix, and so is each of its leading minors, so none is zero.</li>
 * <li><b>Parity.</b> Lost parity shards are encoded again from the now complete data.</li>
 * </ol>
 * That is at most e x k multiply-accumulate passes, like multiplying k survivors by rows of the inverse matrix,
 * but most of them have coefficient 1 and are plain XOR, eight bytes at a time: parity 0 and data 0 carry
 * coefficient 1 in every row of M. For 8+2 with data shards 0 and 1 lost, 7 of the plan's 17 shard passes go
 * through the {@link Gf256#MUL} table, where multiplying by the inverse took 16 table passes.
 * <p>
 * Immutable, so it may be shared by threads once published.
 */
final class DecodePlan
{
    /** In {@link #opSources}: the operation scales its target rather than adding another shard to it. */
    private static final int SCALE = -1;

    private final int hash;
    private final int[] missing;
    private final int[] lostData;
    private final CodingRow[] syndromes;
    private final int[] opTargets;
    private final int[] opSources;
    private final int[] opFactors;
    private final int[] lostParity;
    private final CodingRow[] parityRows;

    private DecodePlan(
        final int hash, final int[] missing, final int[] lostData, final CodingRow[] syndromes,
        final int[] opTargets, final int[] opSources, final int[] opFactors, final int[] lostParity,
        final CodingRow[] parityRows)
    {
        this.hash = hash;
        this.missing = missing;
        this.lostData = lostData;
        this.syndromes = syndromes;
        this.opTargets = opTargets;
        this.opSources = opSources;
        this.opFactors = opFactors;
        this.lostParity = lostParity;
        this.parityRows = parityRows;
    }

    /**
     * @param present k + m flags, as passed to decode.
     * @return a hash of the erasure pattern, the same for every array with the same missing shards.
     */
    static int hash(final boolean[] present)
    {
        int hash = 1;
        for (int i = 0; i < present.length; i++)
        {
            if (!present[i])
            {
                hash = 31 * hash + i;
            }
        }
        // Spread the bits so that patterns differing only in the low indices do not crowd one slot.
        hash *= 0x9E3779B9;
        return hash ^ (hash >>> 16);
    }

    /**
     * Builds the plan for an erasure pattern of between 1 and m missing shards.
     *
     * @param parityMatrix the m x k parity rows M of the code, every square submatrix of which is invertible; only
     *                     read.
     * @param present      k + m flags with at least k set; only read.
     * @return the plan, whose {@link #hash()} is {@link #hash(boolean[]) hash(present)}.
     * @throws IllegalStateException if a pivot is zero, which a matrix with that property never gives.
     */
    static DecodePlan build(final int[][] parityMatrix, final boolean[] present)
    {
        final int k = parityMatrix[0].length;
        final int[] missing = indices(present, 0, present.length, false);
        final int[] lostData = indices(present, 0, k, false);
        final int[] presentData = indices(present, 0, k, true);
        final int[] lostParity = indices(present, k, present.length, false);
        final int[] presentParity = indices(present, k, present.length, true);
        final int e = lostData.length;

        final CodingRow[] syndromes = new CodingRow[e];
        final int[][] a = new int[e][e];
        for (int r = 0; r < e; r++)
        {
            final int[] row = parityMatrix[presentParity[r] - k];
            final int[] sources = new int[presentData.length + 1];
            final int[] coefficients = new int[presentData.length + 1];
            sources[0] = presentParity[r];
            coefficients[0] = 1;
            for (int j = 0; j < presentData.length; j++)
            {
                sources[j + 1] = presentData[j];
                coefficients[j + 1] = row[presentData[j]];
            }
            syndromes[r] = new CodingRow(sources, coefficients);
            for (int c = 0; c < e; c++)
            {
                a[r][c] = row[lostData[c]];
            }
        }

        final Elimination elimination = new Elimination(e * e);
        elimination.gaussJordan(a, lostData);

        final int[] allData = new int[k];
        Arrays.setAll(allData, j -> j);
        final CodingRow[] parityRows = new CodingRow[lostParity.length];
        for (int r = 0; r < lostParity.length; r++)
        {
            parityRows[r] = new CodingRow(allData, parityMatrix[lostParity[r] - k]);
        }
        return new DecodePlan(hash(present), missing, lostData, syndromes, elimination.targets(),
            elimination.sources(), elimination.factors(), lostParity, parityRows);
    }

    /**
     * @return the indices in {@code [from, to)} whose flag equals {@code wanted}, ascending.
     */
    private static int[] indices(final boolean[] present, final int from, final int to, final boolean wanted)
    {
        int count = 0;
        for (int i = from; i < to; i++)
        {
            count += wanted == present[i] ? 1 : 0;
        }
        final int[] indices = new int[count];
        for (int i = from, n = 0; i < to; i++)
        {
            if (wanted == present[i])
            {
                indices[n++] = i;
            }
        }
        return indices;
    }

    /**
     * The row operations of a Gauss-Jordan elimination, recorded as they are applied to a matrix so they can be
     * replayed on shards. Used only while building a plan.
     */
    private static final class Elimination
    {
        private final int[] targets;
        private final int[] sources;
        private final int[] factors;
        private int count;

        Elimination(final int maxOperations)
        {
            targets = new int[maxOperations];
            sources = new int[maxOperations];
            factors = new int[maxOperations];
        }

        /**
         * Reduces {@code a} to the identity without pivoting, recording each operation on row r as one on shard
         * {@code shardOfRow[r]}.
         */
        void gaussJordan(final int[][] a, final int[] shardOfRow)
        {
            final int e = a.length;
            for (int c = 0; c < e; c++)
            {
                final int pivot = a[c][c];
                if (0 == pivot)
                {
                    throw new IllegalStateException("zero pivot " + c + " eliminating " + Arrays.deepToString(a) +
                        " for lost data shards " + Arrays.toString(shardOfRow));
                }
                if (1 != pivot)
                {
                    final int scale = Gf256.inv(pivot);
                    for (int j = 0; j < e; j++)
                    {
                        a[c][j] = Gf256.mul(a[c][j], scale);
                    }
                    record(shardOfRow[c], SCALE, scale);
                }
                for (int r = 0; r < e; r++)
                {
                    final int factor = a[r][c];
                    if (r != c && 0 != factor)
                    {
                        for (int j = 0; j < e; j++)
                        {
                            a[r][j] ^= Gf256.mul(factor, a[c][j]);
                        }
                        record(shardOfRow[r], shardOfRow[c], factor);
                    }
                }
            }
        }

        private void record(final int target, final int source, final int factor)
        {
            targets[count] = target;
            sources[count] = source;
            factors[count] = factor;
            count++;
        }

        int[] targets()
        {
            return Arrays.copyOf(targets, count);
        }

        int[] sources()
        {
            return Arrays.copyOf(sources, count);
        }

        int[] factors()
        {
            return Arrays.copyOf(factors, count);
        }
    }

    /**
     * @return {@link #hash(boolean[])} of the pattern the plan was built for.
     */
    int hash()
    {
        return hash;
    }

    /**
     * @param present k + m flags.
     * @return true if exactly the shards this plan rebuilds are missing from {@code present}.
     */
    boolean matches(final boolean[] present)
    {
        final int[] missing = this.missing;
        int next = 0;
        for (int i = 0; i < present.length; i++)
        {
            if (!present[i])
            {
                if (next == missing.length || missing[next] != i)
                {
                    return false;
                }
                next++;
            }
        }
        return next == missing.length;
    }

    /**
     * Rebuilds bytes {@code [offset, offset + length)} of every missing shard from the present ones.
     *
     * @param shards k + m shards; the present ones are read, the missing ones overwritten in the range.
     * @param offset first byte.
     * @param length number of bytes.
     */
    void apply(final byte[][] shards, final int offset, final int length)
    {
        // 1. Syndromes, written into the lost data shards.
        final int[] lostData = this.lostData;
        final CodingRow[] syndromes = this.syndromes;
        for (int r = 0; r < syndromes.length; r++)
        {
            syndromes[r].apply(shards, shards[lostData[r]], offset, length);
        }

        // 2. Elimination, turning the syndromes into the lost data in place.
        final int[] opTargets = this.opTargets;
        final int[] opSources = this.opSources;
        final int[] opFactors = this.opFactors;
        for (int op = 0; op < opTargets.length; op++)
        {
            final byte[] target = shards[opTargets[op]];
            if (SCALE == opSources[op])
            {
                // Source and destination may be one array: each byte is read before it is written.
                Shards.mul(opFactors[op], target, target, offset, length);
            }
            else
            {
                Shards.mulXorInto(opFactors[op], shards[opSources[op]], target, offset, length);
            }
        }

        // 3. Lost parity, from the data that is now whole in this range.
        final int[] lostParity = this.lostParity;
        final CodingRow[] parityRows = this.parityRows;
        for (int r = 0; r < parityRows.length; r++)
        {
            parityRows[r].apply(shards, shards[lostParity[r]], offset, length);
        }
    }

    @Override
    public String toString()
    {
        return "DecodePlan{missing=" + Arrays.toString(missing) + ", " + opTargets.length + " row operations}";
    }
}
