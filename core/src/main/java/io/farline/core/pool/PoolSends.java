package io.farline.core.pool;

import io.farline.transport.QueuePair;
import org.agrona.DirectBuffer;

/**
 * SEND with a deadline: the one back-pressure loop the pool's host, controller and client share.
 */
final class PoolSends
{
    private PoolSends()
    {
    }

    /**
     * Sends, retrying while the send lane to the peer (or, at the first SEND, its inbox) is full, until the deadline.
     *
     * @return {@link QueuePair#OK}, {@link QueuePair#PEER_DEAD}, or {@link QueuePair#BACK_PRESSURED} if it
     * stayed full for {@code timeoutMs}.
     */
    static int send(final QueuePair qp, final DirectBuffer message, final int length, final long timeoutMs)
    {
        final long deadlineMs = System.currentTimeMillis() + timeoutMs;
        int result;
        while ((result = qp.send(message, 0, length)) == QueuePair.BACK_PRESSURED)
        {
            if (System.currentTimeMillis() - deadlineMs > 0)
            {
                return QueuePair.BACK_PRESSURED;
            }
            Thread.onSpinWait();
        }
        return result;
    }
}
