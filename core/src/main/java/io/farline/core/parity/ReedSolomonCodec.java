package io.farline.core.parity;

/**
 * Systematic Reed-Solomon over GF(2^8) (polynomial {@code 0x11D}): k data shards and m parity shards, any m of
 * which can be lost.
 * <p>
 * The encoding matrix is the identity stacked on an m x k Cauchy matrix {@code C[i][j] = 1 / (x_i + y_j)} with
 * {@code x_i = k + i} and {@code y_j = j}, all distinct because {@code k + m <= 256}. Every square submatrix of a
 * Cauchy matrix is invertible, so every k x k submatrix of the stacked matrix is too; scaling rows and columns of
 * {@code C} by non-zero constants keeps that property, and is used to make the first parity row and the first
 * column all ones, so parity 0 is the plain XOR of the data (the fast path) and a {@code k+1} code matches
 * {@link XorCodec}. Decoding relies on that property: with e data shards lost, it takes e present parity shards,
 * removes the present data's share from them and solves the remaining e x e system by Gauss-Jordan elimination,
 * replayed on the shards; lost parity is then encoded again (see {@code DecodePlan}).
 * <p>
 * The elimination depends only on which shards are missing, so it is worked out once per erasure pattern and
 * cached in the codec (see {@code DecodePlanCache}): the first decode of a pattern allocates, later ones do not,
 * for every pattern of at most m losses unless k and m are large enough that the cache runs out of room.
 * <p>
 * Thread-safe: any number of threads may encode, decode and update parity through one codec at once, on distinct
 * stripes. The coding matrix is immutable and the decode cache is lock-free. {@link #encode} and
 * {@link #updateParity} do not allocate; {@link #decode} does not allocate once its pattern is cached.
 */
public final class ReedSolomonCodec implements ErasureCodec
{
    /** Bytes of each shard handled per pass over the stripe, so the working set stays in cache. */
    private static final int BLOCK = 8192;

    private final int dataShards;
    private final int parityShards;
    private final int shardLength;
    private final int[][] matrix;
    private final CodingRow[] parityRows;
    private final DecodePlanCache decodePlans;

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
        this.parityRows = new CodingRow[parityShards];
        final int[] dataIndices = new int[dataShards];
        for (int j = 0; j < dataShards; j++)
        {
            dataIndices[j] = j;
        }
        for (int i = 0; i < parityShards; i++)
        {
            parityRows[i] = new CodingRow(dataIndices, matrix[i]);
        }
        this.decodePlans = new DecodePlanCache(dataShards, parityShards);
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
        final CodingRow[] parityRows = this.parityRows;
        // Block by block, so the data read for one parity shard is still in cache for the next.
        for (int offset = 0; offset < shardLength; offset += BLOCK)
        {
            final int length = Math.min(BLOCK, shardLength - offset);
            for (int i = 0; i < parityRows.length; i++)
            {
                parityRows[i].apply(data, parity[i], offset, length);
            }
        }
    }

    /**
     * {@inheritDoc}
     * <p>
     * The first decode of an erasure pattern builds and caches its plan; see the class comment.
     */
    @Override
    public void decode(final byte[][] shards, final boolean[] present)
    {
        if (0 == Shards.checkStripe(shards, present, dataShards, parityShards, shardLength))
        {
            return;
        }
        final DecodePlan plan = decodePlan(present);
        for (int offset = 0; offset < shardLength; offset += BLOCK)
        {
            plan.apply(shards, offset, Math.min(BLOCK, shardLength - offset));
        }
    }

    private DecodePlan decodePlan(final boolean[] present)
    {
        final int hash = DecodePlan.hash(present);
        DecodePlan plan = decodePlans.find(present, hash);
        if (null == plan)
        {
            plan = DecodePlan.build(matrix, present);
            decodePlans.add(plan, present);
        }
        return plan;
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
            Shards.mulDeltaXorInto(matrix[i][dataIndex], oldData, newData, parity[i], offset, length);
        }
    }

    @Override
    public String toString()
    {
        return "ReedSolomonCodec{" + dataShards + "+" + parityShards + ", shardLength=" + shardLength + '}';
    }
}
