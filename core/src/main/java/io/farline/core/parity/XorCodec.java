package io.farline.core.parity;

/**
 * Single parity: k data shards and one parity shard that is their XOR. Any one shard can be lost and rebuilt as
 * the XOR of the others. Immutable and thread-safe; {@link #encode} and {@link #updateParity} do not allocate.
 */
public final class XorCodec implements ErasureCodec
{
    private final int dataShards;
    private final int shardLength;

    /**
     * @param dataShards  k, in {@code [1, 255]}.
     * @param shardLength bytes per shard, at least 1.
     * @throws IllegalArgumentException if either is out of range.
     */
    public XorCodec(final int dataShards, final int shardLength)
    {
        Shards.checkGeometry(dataShards, 1, shardLength);
        this.dataShards = dataShards;
        this.shardLength = shardLength;
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
     * @return 1.
     */
    @Override
    public int parityShards()
    {
        return 1;
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
        Shards.checkShards("data", data, dataShards, shardLength);
        Shards.checkShards("parity", parity, 1, shardLength);
        final byte[] out = parity[0];
        Shards.copy(data[0], out, 0, shardLength);
        for (int j = 1; j < dataShards; j++)
        {
            Shards.xorInto(data[j], out, 0, shardLength);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void decode(final byte[][] shards, final boolean[] present)
    {
        if (0 == Shards.checkStripe(shards, present, dataShards, 1, shardLength))
        {
            return;
        }
        int lost = 0;
        while (present[lost])
        {
            lost++;
        }
        final byte[] out = shards[lost];
        boolean first = true;
        for (int i = 0; i <= dataShards; i++)
        {
            if (i != lost)
            {
                if (first)
                {
                    Shards.copy(shards[i], out, 0, shardLength);
                    first = false;
                }
                else
                {
                    Shards.xorInto(shards[i], out, 0, shardLength);
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
        Shards.checkShards("parity", parity, 1, shardLength);
        Shards.xorInto(oldData, newData, parity[0], offset, length);
    }

    @Override
    public String toString()
    {
        return "XorCodec{" + dataShards + "+1, shardLength=" + shardLength + '}';
    }
}
