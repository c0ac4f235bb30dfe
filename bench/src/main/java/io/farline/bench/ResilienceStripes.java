package io.farline.bench;

import java.util.SplittableRandom;

/**
 * The stripes of the resilience suite: {@link #DATA_SHARDS} data shards of {@link #SHARD_LENGTH_BYTES} bytes, filled
 * from a seeded generator so every fork codes the same bytes.
 */
final class ResilienceStripes
{
    /** k: data shards per stripe. */
    static final int DATA_SHARDS = 8;
    /** m of the Reed-Solomon stripes. */
    static final int RS_PARITY_SHARDS = 2;
    /** Bytes per shard: 64 KiB. */
    static final int SHARD_LENGTH_BYTES = 64 * 1024;
    /** Data bytes per stripe: what a GB/s figure counts. */
    static final long STRIPE_DATA_BYTES = (long)DATA_SHARDS * SHARD_LENGTH_BYTES;
    /** From stripes per second to GB (10^9 bytes) of stripe data per second. */
    static final double GB_PER_STRIPE = STRIPE_DATA_BYTES / 1e9;
    static final long SEED = 0x5EED_0007L;

    private ResilienceStripes()
    {
    }

    /**
     * @param count shards to make.
     * @param seed  of the generator that fills them.
     * @return {@code count} shards of random bytes.
     */
    static byte[][] randomShards(final int count, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[][] shards = new byte[count][SHARD_LENGTH_BYTES];
        for (final byte[] shard : shards)
        {
            for (int i = 0; i < shard.length; i++)
            {
                shard[i] = (byte)random.nextInt(256);
            }
        }
        return shards;
    }
}
