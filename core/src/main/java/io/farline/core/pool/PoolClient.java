package io.farline.core.pool;

import io.farline.transport.Node;
import io.farline.transport.PeerState;
import io.farline.transport.QueuePair;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * A compute node's side of the pool: asks the controller for chunks, gives them back, and receives the controller's
 * requests to evacuate a chunk. The client receives the node's messages: the pool's messages are the only ones a
 * compute node receives.
 * <p>
 * When a request goes unanswered (a controller died with it), the client finds the controller again (a new one may
 * have started), tells it every chunk it holds ({@code RECONCILE}, so chunks lent by a lost reply go back to the
 * pool) and asks once more.
 * <p>
 * Threading: one thread at a time. Cold path: allocation and release allocate objects.
 */
public final class PoolClient implements AutoCloseable
{
    /** How long an allocation waits for the controller's answer before asking again. */
    public static final long DEFAULT_TIMEOUT_MS = 5_000;

    private static final int[] NO_HOSTS = new int[0];
    /** Allocations in a row that may come back on a host this node knows dead before the client gives up. */
    private static final int DEAD_LENDER_ATTEMPTS = 3;

    private final Node node;
    private final long timeoutMs;
    private final MutableDirectBuffer request;
    private final Map<Long, Chunk> held = new LinkedHashMap<>();
    private final ArrayDeque<Chunk> evacuations = new ArrayDeque<>();
    private final MessageHandler messageHandler = this::onMessage;
    private QueuePair controller;
    private long nextRequestId = 1;
    private long awaitedRequestId;
    private List<Chunk> grants;
    private String refusal;
    private int parked = -1;

    /**
     * @param node      the compute node.
     * @param timeoutMs how long to wait for an answer before retrying once.
     */
    public PoolClient(final Node node, final long timeoutMs)
    {
        this.node = node;
        this.timeoutMs = timeoutMs;
        this.request = new UnsafeBuffer(BufferUtil.allocateDirectAligned(node.maxMessageLengthBytes(), 64));
    }

    /**
     * Borrows chunks, spread over as many hosts as have room. Like every allocation, never on a host this node knows
     * dead, even if the controller does not know yet.
     *
     * @param chunkCount     how many, {@code 1..1024}.
     * @param chunkSizeBytes their size: the pool's chunk size.
     * @return the chunks lent.
     * @throws PoolException if refused (with the controller's account of what is free where), or unanswered.
     */
    public List<Chunk> allocate(final int chunkCount, final int chunkSizeBytes)
    {
        return allocate(chunkCount, chunkSizeBytes, false, NO_HOSTS);
    }

    /**
     * Borrows chunks each on a different host, none of them on an excluded host: the chunks of a parity stripe, or
     * the replacement of a stripe's chunk (excluding the hosts the stripe already uses).
     *
     * @param chunkCount     how many, {@code 1..1024}; at most the number of hosts with room.
     * @param chunkSizeBytes their size: the pool's chunk size.
     * @param excludedHosts  node ids of hosts that must not lend; not modified.
     * @return the chunks lent, on distinct hosts.
     * @throws PoolException if refused (fewer hosts with room than chunks asked for; the message says what is free
     *                       where), or unanswered.
     */
    public List<Chunk> allocateOnDistinctHosts(final int chunkCount, final int chunkSizeBytes,
        final int[] excludedHosts)
    {
        return allocate(chunkCount, chunkSizeBytes, true, excludedHosts);
    }

    /**
     * Borrows chunks each on a different host: the chunks of a parity stripe.
     *
     * @param chunkCount     how many, {@code 1..1024}; at most the number of hosts with room.
     * @param chunkSizeBytes their size: the pool's chunk size.
     * @return the chunks lent, on distinct hosts.
     * @throws PoolException if refused, or unanswered.
     */
    public List<Chunk> allocateOnDistinctHosts(final int chunkCount, final int chunkSizeBytes)
    {
        return allocate(chunkCount, chunkSizeBytes, true, NO_HOSTS);
    }

    /**
     * Asks the controller, then checks the lenders against this node's own view of liveness: the controller may not
     * have noticed a death this node has (each node judges its peers itself; a host that closed counts as dead, its
     * memory went with it). The hosts of chunks this client holds that it knows dead are excluded from the start;
     * chunks lent on another host it knows dead are given back and asked for again with that host excluded, up to
     * {@link #DEAD_LENDER_ATTEMPTS} times.
     */
    private List<Chunk> allocate(final int chunkCount, final int chunkSizeBytes, final boolean distinctHosts,
        final int[] excludedHosts)
    {
        final int[] deadHolders = held.values().stream().mapToInt(Chunk::hostNodeId).distinct()
            .filter(host -> node.peerState(host) != PeerState.ALIVE).toArray();
        int[] excluded = 0 == deadHolders.length ? excludedHosts :
            IntStream.concat(Arrays.stream(excludedHosts), Arrays.stream(deadHolders)).toArray();
        for (int attempt = 1; ; attempt++)
        {
            final List<Chunk> chunks = requestAllocation(chunkCount, chunkSizeBytes, distinctHosts, excluded);
            final int[] dead = chunks.stream().mapToInt(Chunk::hostNodeId).distinct()
                .filter(host -> node.peerState(host) != PeerState.ALIVE).toArray();
            if (0 == dead.length)
            {
                return chunks;
            }
            release(chunks);
            if (DEAD_LENDER_ATTEMPTS == attempt)
            {
                throw new PoolException("the pool lent chunks on hosts this node knows dead " +
                    Arrays.toString(dead) + ", " + DEAD_LENDER_ATTEMPTS + " times");
            }
            excluded = IntStream.concat(Arrays.stream(excluded), Arrays.stream(dead)).toArray();
        }
    }

    private List<Chunk> requestAllocation(final int chunkCount, final int chunkSizeBytes, final boolean distinctHosts,
        final int[] excludedHosts)
    {
        if ((PoolMessages.ALLOCATE_EXCLUDED_OFFSET + 4 + excludedHosts.length * 4L) > request.capacity())
        {
            throw new IllegalArgumentException(excludedHosts.length + " excluded hosts do not fit in a message");
        }
        for (int attempt = 0; attempt < 2; attempt++)
        {
            final long requestId = nextRequestId++;
            awaitedRequestId = requestId;
            grants = null;
            refusal = null;
            final QueuePair qp = controller(attempt > 0);
            if (attempt > 0)
            {
                reconcile(qp);
            }
            send(qp, PoolMessages.encodeAllocate(request, requestId, chunkCount, chunkSizeBytes,
                distinctHosts ? PoolMessages.ALLOCATE_DISTINCT_HOSTS : 0, excludedHosts));
            awaitReply(() -> null != grants || null != refusal);
            if (null != refusal)
            {
                throw new PoolException(refusal);
            }
            if (null != grants)
            {
                for (final Chunk chunk : grants)
                {
                    held.put(key(chunk.hostNodeId(), chunk.chunkIndex()), chunk);
                }
                return grants;
            }
        }
        throw new PoolException("the pool controller did not answer an allocation of " + chunkCount + " chunks in " +
            timeoutMs + " ms, twice");
    }

    /**
     * Parks chunks: they stay lent, to no node, with their data, so that this or another node can {@link #adopt}
     * them, for instance to reopen far memory after this process ends. This client no longer holds them.
     *
     * @param chunks to park, held by this client.
     * @return how many the controller parked.
     * @throws PoolException if the controller does not answer.
     */
    public int park(final Collection<Chunk> chunks)
    {
        final long requestId = nextRequestId++;
        awaitedRequestId = requestId;
        parked = -1;
        refusal = null;
        send(controller(false), PoolMessages.encodeRequestChunkRefs(request, PoolMessages.PARK, requestId, chunks));
        awaitReply(() -> parked >= 0);
        if (parked < 0)
        {
            throw new PoolException("the pool controller did not answer a park of " + chunks.size() + " chunks in " +
                timeoutMs + " ms");
        }
        for (final Chunk chunk : chunks)
        {
            held.remove(key(chunk.hostNodeId(), chunk.chunkIndex()));
        }
        return parked;
    }

    /**
     * Takes parked chunks over: all of them or none.
     *
     * @param chunks parked chunks, as {@link #park} was given them.
     * @return the chunks, now held by this client.
     * @throws PoolException if one of them is not parked (the message says which and what it is), or no answer.
     */
    public List<Chunk> adopt(final Collection<Chunk> chunks)
    {
        final long requestId = nextRequestId++;
        awaitedRequestId = requestId;
        grants = null;
        refusal = null;
        send(controller(false), PoolMessages.encodeRequestChunkRefs(request, PoolMessages.ADOPT, requestId, chunks));
        awaitReply(() -> null != grants || null != refusal);
        if (null != refusal)
        {
            throw new PoolException(refusal);
        }
        if (null == grants)
        {
            throw new PoolException("the pool controller did not answer an adoption of " + chunks.size() +
                " chunks in " + timeoutMs + " ms");
        }
        for (final Chunk chunk : grants)
        {
            held.put(key(chunk.hostNodeId(), chunk.chunkIndex()), chunk);
        }
        return grants;
    }

    /**
     * Gives chunks back. Chunks this client does not hold are ignored.
     *
     * @param chunks to release.
     */
    public void release(final Collection<Chunk> chunks)
    {
        final List<Chunk> mine = new ArrayList<>();
        for (final Chunk chunk : chunks)
        {
            if (null != held.remove(key(chunk.hostNodeId(), chunk.chunkIndex())))
            {
                mine.add(chunk);
            }
        }
        if (!mine.isEmpty())
        {
            send(controller(false), PoolMessages.encodeChunkRefs(request, PoolMessages.RELEASE, mine));
        }
    }

    /**
     * @return the chunks this client holds.
     */
    public List<Chunk> held()
    {
        return new ArrayList<>(held.values());
    }

    /**
     * Receives pending messages and hands the controller's evacuation requests to {@code handler}.
     *
     * @param handler told of each chunk to evacuate.
     * @return the number of evacuation requests handed over.
     */
    public int poll(final EvacuationHandler handler)
    {
        receive();
        int handed = 0;
        Chunk chunk;
        while (null != (chunk = evacuations.poll()))
        {
            handler.onEvacuate(chunk);
            handed++;
        }
        return handed;
    }

    /**
     * Releases every chunk still held and closes the queue pair to the controller; the node stays open.
     */
    @Override
    public void close()
    {
        try
        {
            if (!held.isEmpty() && null != controller(false))
            {
                release(new ArrayList<>(held.values()));
            }
        }
        catch (final RuntimeException ex)
        {
            // The controller is gone: the chunks return to the pool when this node's death is noticed.
        }
        if (null != controller)
        {
            controller.close();
            controller = null;
        }
    }

    /**
     * Receives until the controller's answer is in, or the timeout passes.
     */
    private void awaitReply(final BooleanSupplier answered)
    {
        final long deadlineMs = System.currentTimeMillis() + timeoutMs;
        while (!answered.getAsBoolean() && System.currentTimeMillis() - deadlineMs < 0)
        {
            if (0 == receive())
            {
                Thread.onSpinWait();
            }
        }
    }

    private int receive()
    {
        return node.receive(messageHandler, 64);
    }

    private void onMessage(final int sender, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        switch (PoolMessages.type(buffer, offset, length))
        {
            case PoolMessages.GRANTED:
                if (buffer.getLong(offset + PoolMessages.LONG_OFFSET) == awaitedRequestId)
                {
                    final int count = PoolMessages.grantCount(buffer, offset, length);
                    final List<Chunk> chunks = new ArrayList<>(count);
                    for (int i = 0; i < count; i++)
                    {
                        chunks.add(PoolMessages.decodeGrant(buffer, offset, i));
                    }
                    grants = chunks;
                }
                break;
            case PoolMessages.REFUSED:
                if (buffer.getLong(offset + PoolMessages.LONG_OFFSET) == awaitedRequestId)
                {
                    refusal = PoolMessages.decodeRefusedReason(buffer, offset, length);
                }
                break;
            case PoolMessages.PARKED:
                if (buffer.getLong(offset + PoolMessages.LONG_OFFSET) == awaitedRequestId)
                {
                    parked = buffer.getInt(offset + PoolMessages.COUNT_OFFSET);
                }
                break;
            case PoolMessages.EVACUATE:
                PoolMessages.checkLength("EVACUATE", length, PoolMessages.LONG_OFFSET + 8);
                final Chunk chunk = held.get(key(buffer.getInt(offset + PoolMessages.COUNT_OFFSET),
                    (int)buffer.getLong(offset + PoolMessages.LONG_OFFSET)));
                if (null != chunk)
                {
                    evacuations.add(chunk);
                }
                break;
            default:
                break;
        }
    }

    private void reconcile(final QueuePair qp)
    {
        send(qp, PoolMessages.encodeChunkRefs(request, PoolMessages.RECONCILE, held.values()));
    }

    private QueuePair controller(final boolean lookAgain)
    {
        if (null != controller && (lookAgain || controller.peerState() == PeerState.DEAD ||
            controller.peerNodeId() != ControllerLocator.read(node.fabric())))
        {
            controller.close();
            controller = null;
        }
        if (null == controller)
        {
            final long deadlineMs = System.currentTimeMillis() + timeoutMs;
            while (null == controller)
            {
                final int id = ControllerLocator.read(node.fabric());
                if (id > 0)
                {
                    try
                    {
                        controller = node.connect(id);
                        break;
                    }
                    catch (final RuntimeException ex)
                    {
                        // a stale locator of a dead controller: wait for a new one
                    }
                }
                if (System.currentTimeMillis() - deadlineMs > 0)
                {
                    throw new PoolException("no pool controller is running on " + node.fabric().directory() +
                        " (waited " + timeoutMs + " ms)");
                }
                Thread.onSpinWait();
            }
        }
        return controller;
    }

    private void send(final QueuePair qp, final int length)
    {
        final int result = PoolSends.send(qp, request, length, timeoutMs);
        if (QueuePair.BACK_PRESSURED == result)
        {
            throw new PoolException("the send lane to the pool controller stayed full for " + timeoutMs + " ms");
        }
        if (QueuePair.PEER_DEAD == result)
        {
            throw new PoolException("the pool controller (node " + qp.peerNodeId() + ") is dead");
        }
    }

    private static long key(final int hostNodeId, final int chunkIndex)
    {
        return ((long)hostNodeId << 32) | (chunkIndex & 0xFFFF_FFFFL);
    }
}
