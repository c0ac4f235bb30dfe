package io.farline.core.pool;

import org.agrona.DirectBuffer;

/**
 * An {@code ALLOCATE} message as the controller handles it: who asks, for how many chunks of which size, whether on
 * distinct hosts, and on which hosts not.
 *
 * @param borrower       node id of the borrower.
 * @param requestId      the borrower's id for the request, echoed in the reply.
 * @param chunkCount     chunks asked for.
 * @param chunkSizeBytes size of each.
 * @param distinctHosts  whether each chunk must be on a host of its own.
 * @param excludedHosts  hosts not to lend from.
 */
record AllocateRequest(
    int borrower, long requestId, int chunkCount, int chunkSizeBytes, boolean distinctHosts, int[] excludedHosts)
{
    /**
     * @param sender the node that sent the message.
     * @param buffer holding it.
     * @param offset of the message.
     * @param length of the message.
     * @return the request.
     */
    static AllocateRequest decode(final int sender, final DirectBuffer buffer, final int offset, final int length)
    {
        return new AllocateRequest(sender, buffer.getLong(offset + PoolMessages.LONG_OFFSET),
            buffer.getInt(offset + PoolMessages.COUNT_OFFSET), buffer.getInt(offset + PoolMessages.LENGTH_OFFSET),
            (buffer.getInt(offset + PoolMessages.ALLOCATE_FLAGS_OFFSET) & PoolMessages.ALLOCATE_DISTINCT_HOSTS) != 0,
            PoolMessages.decodeAllocateExcluded(buffer, offset, length));
    }

    /**
     * @param hostNodeId a host.
     * @return whether the request excludes it.
     */
    boolean excludes(final int hostNodeId)
    {
        for (final int excluded : excludedHosts)
        {
            if (excluded == hostNodeId)
            {
                return true;
            }
        }
        return false;
    }
}
