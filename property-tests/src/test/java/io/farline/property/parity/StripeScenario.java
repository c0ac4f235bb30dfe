package io.farline.property.parity;

import io.farline.core.parity.ErasureCodec;
import io.farline.property.harness.Gen;
import io.farline.property.harness.Property;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Runs {@link StripeAction}s on a stripe kept up to date line by line, as far memory's write-back does
 * ({@link ErasureCodec#updateParity}), and on a model: the data shards as they must be, with parity encoded from
 * them afresh. Checked at every loss: decoding the stripe with those shards overwritten by garbage gives back every
 * shard of the model, data and parity.
 */
final class StripeScenario implements Property<StripeAction>
{
    private final IntFunction<ErasureCodec> codecOfLength;
    private final int shardLength;

    StripeScenario(final IntFunction<ErasureCodec> codecOfLength, final int shardLength)
    {
        this.codecOfLength = codecOfLength;
        this.shardLength = shardLength;
    }

    /**
     * @param k           data shards.
     * @param m           parity shards.
     * @param shardLength bytes per shard.
     * @return updates of line-sized runs (sometimes longer) at any offset, and losses of 1 to m shards.
     */
    static Gen<StripeAction> actions(final int k, final int m, final int shardLength)
    {
        return random ->
        {
            if (random.nextInt(5) == 0)
            {
                long mask = 0;
                final int lost = random.nextInt(1, m + 1);
                while (Long.bitCount(mask) < lost)
                {
                    mask |= 1L << random.nextInt(k + m);
                }
                return new StripeAction.Lose(mask);
            }
            final int length = random.nextInt(4) == 0 ? random.nextInt(1, shardLength + 1) : 64;
            return new StripeAction.Update(random.nextInt(k), random.nextInt(shardLength - length + 1), length,
                random.nextLong());
        };
    }

    @Override
    public void check(final List<StripeAction> actions)
    {
        final ErasureCodec codec = codecOfLength.apply(shardLength);
        final int k = codec.dataShards();
        final int m = codec.parityShards();
        final byte[][] truth = new byte[k][shardLength];
        final byte[][] parity = new byte[m][shardLength];
        final byte[] oldBytes = new byte[shardLength];
        for (final StripeAction action : actions)
        {
            if (action instanceof StripeAction.Update update)
            {
                if (update.shard() >= k || update.offset() + update.length() > shardLength)
                {
                    continue; // a shrink may leave an update outside a smaller stripe
                }
                final byte[] shard = truth[update.shard()];
                System.arraycopy(shard, 0, oldBytes, 0, shardLength);
                final byte[] fresh = new byte[update.length()];
                new SplittableRandom(update.seed()).nextBytes(fresh);
                System.arraycopy(fresh, 0, shard, update.offset(), update.length());
                codec.updateParity(update.shard(), oldBytes, shard, update.offset(), update.length(), parity);
            }
            else
            {
                checkDecode(codec, truth, parity, ((StripeAction.Lose)action).lostMask());
            }
        }
        checkDecode(codec, truth, parity, 0);
    }

    private void checkDecode(final ErasureCodec codec, final byte[][] truth, final byte[][] parity,
        final long lostMask)
    {
        final int k = codec.dataShards();
        final int m = codec.parityShards();
        final byte[][] expectedParity = new byte[m][shardLength];
        codec.encode(truth, expectedParity);
        for (int j = 0; j < m; j++)
        {
            assertArrayEquals(expectedParity[j], parity[j], "parity " + j + " kept up to date line by line");
        }
        final byte[][] shards = new byte[k + m][];
        final boolean[] present = new boolean[k + m];
        final SplittableRandom garbage = new SplittableRandom(lostMask);
        for (int i = 0; i < k + m; i++)
        {
            shards[i] = (i < k ? truth[i] : parity[i - k]).clone();
            present[i] = (lostMask & (1L << i)) == 0;
            if (!present[i])
            {
                garbage.nextBytes(shards[i]);
            }
        }
        codec.decode(shards, present);
        for (int i = 0; i < k + m; i++)
        {
            assertArrayEquals(i < k ? truth[i] : expectedParity[i - k], shards[i],
                "shard " + i + " after losing mask " + Long.toBinaryString(lostMask));
        }
    }
}
