package io.farline.core.parity;

import java.util.Arrays;

/**
 * Systematic Reed-Solomon over GF(2^8) (polynomial {@code 0x11D}): k data shards and m parity shards, any m of
 * which can be lost.
 * <p>
 * The encoding matrix is the identity stacked on an m x k Cauchy matrix {@code C[i][j] = 1 / (x_i + y_j)} with
 * {@code x_i = k + i} and {@code y_j = j}, all distinct because {@code k + m <= 256}. Every square submatrix of a
 * Cauchy matrix is invertible, so every k x k submatrix of the stacked matrix is too; scaling rows and columns of
 * {@code C} by non-zero constants keeps that property, and is used to make the first parity row and the first
 * column all ones, so parity 0 is the plain XOR of the data (the fast path) and a {@code k+1} code matches
 * {@link XorCodec}. Decoding inverts the k x k submatrix of k surviving rows by Gauss-Jordan elimination.
 * <p>
 * Immutable and thread-safe; {@link #encode} and {@link #updateParity} do not allocate, {@link #decode} allocates
 * two small k x k matrices when a data shard is lost.
 */
public final class ReedSolomonCodec implements ErasureCodec
{
    /** Bytes of each shard handled per pass over the stripe, so the working set stays in cache. */
    private static final int BLOCK = 8192;

    private final int dataShards;
    private final int parityShards;
    private final int shardLength;
    private final int[][] matrix;

    /**
     * @param dataShards   k, at least 1.
     * @param parityShards m, at least 1, with {@code k + m <= 256}.
     * @param shardLength  bytes per shard, at least 1.
     * @throws IllegalArgumentException if any is out of range.
     */
    public ReedSolomonCodec(final int dataShards, final int parityShards, final int shardLength)
    {
        Shards.checkGeometry(dataShards, parityShards, shardLength);
        this.dataShards = dataShards;
        this.parityShards = parityShards;
        this.shardLength = shardLength;
        this.matrix = cauchy(dataShards, parityShards);
    }

    private static int[][] cauchy(final int k, final int m)
    {
        final int[][] c = new int[m][k];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < k; j++)
            {
                c[i][j] = Gf256.inv((k + i) ^ j);
            }
        }
        for (int j = 0; j < k; j++)
        {
            final int scale = Gf256.inv(c[0][j]);
            for (int i = 0; i < m; i++)
            {
                c[i][j] = Gf256.mul(c[i][j], scale);
            }
        }
        for (int i = 1; i < m; i++)
        {
            final int scale = Gf256.inv(c[i][0]);
            for (int j = 0; j < k; j++)
            {
                c[i][j] = Gf256.mul(c[i][j], scale);
            }
        }
        return c;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int dataShards()
    {
        return dataShards;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int parityShards()
    {
        return parityShards;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int shardLength()
    {
        return shardLength;
    }

    /**
     * The encoding coefficient of data shard {@code dataIndex} in parity shard {@code parityIndex}.
     *
     * @param parityIndex in {@code [0, m)}.
     * @param dataIndex   in {@code [0, k)}.
     * @return the coefficient, in {@code [1, 256)}.
     */
    public int coefficient(final int parityIndex, final int dataIndex)
    {
        return matrix[parityIndex][dataIndex];
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void encode(final byte[][] data, final byte[][] parity)
    {
        Shards.checkShards("data", data, dataShards, shardLength);
        Shards.checkShards("parity", parity, parityShards, shardLength);
        for (int i = 0; i < parityShards; i++)
        {
            encodeRow(matrix[i], data, parity[i]);
        }
    }

    private void encodeRow(final int[] row, final byte[][] data, final byte[] out)
    {
        for (int offset = 0; offset < shardLength; offset += BLOCK)
        {
            final int length = Math.min(BLOCK, shardLength - offset);
            Shards.mul(row[0], data[0], out, offset, length);
            for (int j = 1; j < dataShards; j++)
            {
                Shards.mulXorInto(row[j], data[j], out, offset, length);
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void decode(final byte[][] shards, final boolean[] present)
    {
        if (0 == Shards.checkStripe(shards, present, dataShards, parityShards, shardLength))
        {
            return;
        }
        boolean dataLost = false;
        for (int d = 0; d < dataShards; d++)
        {
            dataLost |= !present[d];
        }
        if (dataLost)
        {
            rebuildData(shards, present);
        }
        for (int i = 0; i < parityShards; i++)
        {
            if (!present[dataShards + i])
            {
                encodeRow(matrix[i], shards, shards[dataShards + i]);
            }
        }
    }

    private void rebuildData(final byte[][] shards, final boolean[] present)
    {
        final int k = dataShards;
        final int[] rows = new int[k];
        final int[][] sub = new int[k][];
        for (int r = 0, n = 0; n < k; r++)
        {
            if (present[r])
            {
                rows[n] = r;
                if (r < k)
                {
                    sub[n] = new int[k];
                    sub[n][r] = 1;
                }
                else
                {
                    sub[n] = matrix[r - k].clone();
                }
                n++;
            }
        }
        final int[][] inverse = new int[k][k];
        if (!Gf256.invert(sub, inverse))
        {
            throw new IllegalStateException("singular decoding matrix for surviving shards " +
                Arrays.toString(rows));
        }
        for (int offset = 0; offset < shardLength; offset += BLOCK)
        {
            final int length = Math.min(BLOCK, shardLength - offset);
            for (int d = 0; d < k; d++)
            {
                if (!present[d])
                {
                    final int[] row = inverse[d];
                    final byte[] out = shards[d];
                    Shards.mul(row[0], shards[rows[0]], out, offset, length);
                    for (int j = 1; j < k; j++)
                    {
                        Shards.mulXorInto(row[j], shards[rows[j]], out, offset, length);
                    }
                }
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void updateParity(
        final int dataIndex, final byte[] oldData, final byte[] newData, final int offset, final int length,
        final byte[][] parity)
    {
        Shards.checkUpdate(dataIndex, oldData, newData, offset, length, dataShards, shardLength);
        Shards.checkShards("parity", parity, parityShards, shardLength);
        for (int i = 0; i < parityShards; i++)
        {
            Shards.mulXorInto(matrix[i][dataIndex], oldData, newData, parity[i], offset, length);
        }
    }

    @Override
    public String toString()
    {
        return "ReedSolomonCodec{" + dataShards + "+" + parityShards + ", shardLength=" + shardLength + '}';
    }
}
