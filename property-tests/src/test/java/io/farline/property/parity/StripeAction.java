package io.farline.property.parity;

import java.util.ArrayList;
import java.util.List;

/**
 * A step of {@link StripeScenario}: a line-granular update of a data shard, or the loss of some shards followed by a
 * decode.
 */
sealed interface StripeAction permits StripeAction.Update, StripeAction.Lose
{
    /**
     * @return simpler versions of this action, for shrinking.
     */
    List<StripeAction> simpler();

    /**
     * New bytes in {@code [offset, offset + length)} of data shard {@code shard}, drawn from {@code seed}.
     *
     * @param shard  the data shard.
     * @param offset first byte changed.
     * @param length bytes changed.
     * @param seed   of the new bytes.
     */
    record Update(int shard, int offset, int length, long seed) implements StripeAction
    {
        @Override
        public List<StripeAction> simpler()
        {
            final List<StripeAction> simpler = new ArrayList<>();
            if (length > 1)
            {
                simpler.add(new Update(shard, offset, 1, seed));
                simpler.add(new Update(shard, offset, length / 2, seed));
            }
            if (shard > 0)
            {
                simpler.add(new Update(0, offset, length, seed));
            }
            if (offset > 0)
            {
                simpler.add(new Update(shard, 0, length, seed));
            }
            return simpler;
        }
    }

    /**
     * The shards flagged in {@code lostMask} are lost (overwritten with garbage), then decoded from the rest.
     *
     * @param lostMask bit {@code i} set if shard {@code i} is lost; at most m bits.
     */
    record Lose(long lostMask) implements StripeAction
    {
        @Override
        public List<StripeAction> simpler()
        {
            final List<StripeAction> simpler = new ArrayList<>();
            for (long bits = lostMask; bits != 0; bits &= bits - 1)
            {
                simpler.add(new Lose(lostMask & ~Long.lowestOneBit(bits)));
            }
            return simpler;
        }
    }
}
