package io.farline.core.parity;

/**
 * Replication as an erasure code: one data shard and m copies of it, so any m of the m + 1 can be lost. It lets
 * replicated far memory share the stripe machinery of parity (degraded reads, rebuild); writers update the copies
 * by writing the new bytes to each, which is what {@link #updateParity} computes too. Immutable and thread-safe;
 * nothing allocates.
 */
public final class MirrorCodec implements ErasureCodec
{
    private final int copies;
    private final int shardLength;

    /**
     * @param copies      m, the copies besides the data shard, in {@code [1, 255]}.
     * @param shardLength bytes per shard, at least 1.
     * @throws IllegalArgumentException if either is out of range.
     */
    public MirrorCodec(final int copies, final int shardLength)
    {
        Shards.checkGeometry(1, copies, shardLength);
        this.copies = copies;
        this.shardLength = shardLength;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int dataShards()
    {
        return 1;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int parityShards()
    {
        return copies;
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
     * {@inheritDoc}
     */
    @Override
    public void encode(final byte[][] data, final byte[][] parity)
    {
        Shards.checkShards("data", data, 1, shardLength);
        Shards.checkShards("parity", parity, copies, shardLength);
        for (final byte[] copy : parity)
        {
            Shards.copy(data[0], copy, 0, shardLength);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void decode(final byte[][] shards, final boolean[] present)
    {
        if (0 == Shards.checkStripe(shards, present, 1, copies, shardLength))
        {
            return;
        }
        int source = 0;
        while (!present[source])
        {
            source++;
        }
        for (int i = 0; i <= copies; i++)
        {
            if (!present[i])
            {
                Shards.copy(shards[source], shards[i], 0, shardLength);
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
        Shards.checkUpdate(dataIndex, oldData, newData, offset, length, 1, shardLength);
        Shards.checkShards("parity", parity, copies, shardLength);
        for (final byte[] copy : parity)
        {
            Shards.copy(newData, copy, offset, length);
        }
    }

    @Override
    public String toString()
    {
        return "MirrorCodec{1+" + copies + ", shardLength=" + shardLength + '}';
    }
}
