package io.farline.core.parity;

/**
 * A systematic erasure code over a stripe of {@link #dataShards()} data shards followed by {@link #parityShards()}
 * parity shards, each {@link #shardLength()} bytes long.
 * <p>
 * Shard indices are {@code [0, k)} for data and {@code [k, k + m)} for parity, where {@code parity[i]} is shard
 * {@code k + i}. Every method checks its arguments and throws {@link IllegalArgumentException} (or
 * {@link NullPointerException} for a null array) before it writes anything.
 */
public interface ErasureCodec
{
    /**
     * @return k, the number of data shards in a stripe, at least 1.
     */
    int dataShards();

    /**
     * @return m, the number of parity shards in a stripe, at least 1; also the most shards that can be lost.
     */
    int parityShards();

    /**
     * @return k + m, the number of shards in a stripe.
     */
    default int totalShards()
    {
        return dataShards() + parityShards();
    }

    /**
     * @return the length in bytes of every shard.
     */
    int shardLength();

    /**
     * Computes all parity shards from the data shards, overwriting the parity arrays. Does not allocate.
     *
     * @param data   k data shards of {@link #shardLength()} bytes each; not modified.
     * @param parity m parity shards of {@link #shardLength()} bytes each; overwritten.
     */
    void encode(byte[][] data, byte[][] parity);

    /**
     * Rebuilds the missing shards of a stripe in place from the present ones.
     *
     * @param shards  k + m shards, data first then parity, each {@link #shardLength()} bytes; the arrays of the
     *                missing shards must exist and are overwritten, the present ones are only read.
     * @param present k + m flags, {@code true} where the shard holds valid content; not modified.
     * @throws IllegalArgumentException if more than m shards are missing (the message lists them) or the arrays
     *                                  have the wrong count or length.
     */
    void decode(byte[][] shards, boolean[] present);

    /**
     * Brings the parity up to date after bytes {@code [offset, offset + length)} of data shard {@code dataIndex}
     * changed, without reading the other data shards: for each parity shard,
     * {@code parity ^= coefficient * (oldData ^ newData)} over that range. Does not allocate.
     *
     * @param dataIndex the data shard that changed, in {@code [0, k)}.
     * @param oldData   the old bytes, at the same positions as in the shard: {@code oldData[offset + i]} is the old
     *                  value of shard byte {@code offset + i}; at least {@code offset + length} long.
     * @param newData   the new bytes, indexed like {@code oldData}.
     * @param offset    first changed byte within the shard.
     * @param length    number of changed bytes; {@code offset + length <= shardLength()}.
     * @param parity    m parity shards of {@link #shardLength()} bytes each, updated in place.
     */
    void updateParity(int dataIndex, byte[] oldData, byte[] newData, int offset, int length, byte[][] parity);
}
