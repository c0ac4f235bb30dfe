package io.farline.transport;

import org.agrona.BitUtil;

/**
 * A completion queue: work requests posted on the {@link QueuePair}s that share it complete here, in posting order.
 * <p>
 * Threading: not thread-safe. One thread posts on the queue pairs that use this queue and polls it; that is how
 * RDMA applications use a CQ per thread, and it keeps posting and polling free of atomics. Entries live in
 * preallocated primitive arrays: posting and polling allocate nothing.
 * <p>
 * With a {@link LinkModel}, an entry becomes visible to {@link #poll} only when its completion time has passed;
 * entries are delivered in order, so a later entry waits behind an earlier one that is not ready.
 */
public final class CompletionQueue
{
    private final int mask;
    private final long[] wrIds;
    private final byte[] verbs;
    private final int[] statuses;
    private final long[] results;
    private final long[] readyAtNs;
    private long head;
    private long tail;

    /**
     * @param capacity maximum completions outstanding (posted, not yet polled); rounded up to a power of two.
     */
    public CompletionQueue(final int capacity)
    {
        if (capacity < 1 || capacity > 1 << 24)
        {
            throw new IllegalArgumentException("completion queue capacity " + capacity + " is outside 1.." +
                (1 << 24));
        }
        final int length = BitUtil.findNextPositivePowerOfTwo(capacity);
        mask = length - 1;
        wrIds = new long[length];
        verbs = new byte[length];
        statuses = new int[length];
        results = new long[length];
        readyAtNs = new long[length];
    }

    /**
     * @return the number of entries the queue holds.
     */
    public int capacity()
    {
        return mask + 1;
    }

    /**
     * @return completions posted and not yet polled.
     */
    public int size()
    {
        return (int)(tail - head);
    }

    boolean isFull()
    {
        return tail - head > mask;
    }

    void add(final long wrId, final Verb verb, final int status, final long result, final long readyAt)
    {
        final int index = (int)tail & mask;
        wrIds[index] = wrId;
        verbs[index] = (byte)verb.ordinal();
        statuses[index] = status;
        results[index] = result;
        readyAtNs[index] = readyAt;
        tail++;
    }

    /**
     * Delivers up to {@code limit} ready completions to the handler, oldest first. An entry is consumed before its
     * handler runs, so a handler that throws loses no other entry and does not see that one again.
     *
     * @param handler receives each completion.
     * @param limit   most completions to deliver.
     * @return completions delivered.
     */
    public int poll(final CompletionHandler handler, final int limit)
    {
        long head = this.head;
        final long tail = this.tail;
        if (head == tail)
        {
            return 0;
        }
        long nowNs = 0;
        int count = 0;
        while (head < tail && count < limit)
        {
            final int index = (int)head & mask;
            final long readyAt = readyAtNs[index];
            if (readyAt != 0)
            {
                if (nowNs == 0)
                {
                    nowNs = System.nanoTime();
                }
                if (readyAt - nowNs > 0)
                {
                    break;
                }
            }
            head++;
            this.head = head;
            count++;
            handler.onCompletion(wrIds[index], Verb.get(verbs[index]), statuses[index], results[index]);
        }
        return count;
    }
}
