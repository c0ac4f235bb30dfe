package io.farline.core.pool;

import io.farline.transport.CompletionStatus;
import io.farline.transport.FabricFileException;
import io.farline.transport.Node;
import io.farline.transport.PeerState;
import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import io.farline.transport.VerbException;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.farline.core.pool.ChunkTableDescriptor.*;
import static io.farline.core.pool.HostView.*;

/**
 * The pool controller: lends chunks of the memory hosts' donated memory to compute nodes, takes them back when a
 * borrower releases them or dies, and withdraws them when a host asks for memory back, asking borrowers to evacuate.
 * <p>
 * <b>Its state is soft.</b> Which chunk is free, lent (to whom) or being reclaimed lives only in the hosts' chunk
 * tables ({@link ChunkTableDescriptor}), which the controller changes by one-sided compare-and-swap on a freshly read
 * entry, its generation included. So:
 * <ul>
 *     <li>a controller that dies and restarts (any process may start one; it publishes itself with
 *     {@link ControllerLocator}) relearns the hosts from their periodic announcements and reads their tables; it
 *     answers allocations only after {@link #WARM_UP_MS}, so that every live host has announced itself;</li>
 *     <li>a chunk is never lent twice: two controllers racing on one entry cannot both win its compare-and-swap;</li>
 *     <li>a reply lost with a dying controller leaves chunks lent to a borrower that does not know it: the borrower
 *     sends {@code RECONCILE} with what it holds, and the controller frees the rest lent to it;</li>
 *     <li>chunks of a borrower that dies, or closes its node, return to the pool once the transport says so; a host
 *     that closes its node is forgotten.</li>
 *     <li>a host that dies is forgotten, whether the transport says so or a verb on its table fails first, and it
 *     stays forgotten while its node id names the same process. A node declared dead stays dead to the transport
 *     (compare-and-swap on its table fails with {@code PEER_DEAD}; READ still works), so a host that was only stalled
 *     past the liveness timeout (SIGSTOP, a long pause) and announces itself again is not lent from again: its
 *     chunks are lost to the pool until it is restarted as a new node. Its first announcement after that is reported
 *     to the error handler, and a refusal for want of chunks names it.</li>
 *     <li>no verb on a host leaves a request unanswered or the pool's state half changed: an allocation that meets a
 *     dead host drops it, gives back what it took for the request there, and is served by the other hosts or
 *     refused.</li>
 * </ul>
 * Threading: {@link #doWork()} on one thread. It owns its queue pairs; {@link #close()} closes them.
 */
public final class PoolController implements Agent, AutoCloseable
{
    /** Allocations wait this long after start, so that hosts have announced themselves. */
    public static final long WARM_UP_MS = 3 * MemoryHost.ANNOUNCE_INTERVAL_MS;
    /** Most grants in one reply. */
    public static final int MAX_GRANTS_PER_REQUEST = 1024;

    private final Node node;
    private final Map<Integer, HostView> hosts = new TreeMap<>();
    private final Map<Integer, QueuePair> borrowers = new TreeMap<>();
    private final ManyToOneConcurrentArrayQueue<Integer> deadNodes = new ManyToOneConcurrentArrayQueue<>(1024);
    private final List<AllocateRequest> deferred = new ArrayList<>();
    /** Hosts that announce themselves though this node declared them dead: running, but never lent from again. */
    private final Set<Integer> deadAnnouncers = new TreeSet<>();
    /**
     * Hosts whose announced chunk table was refused, and why: a host announces itself every
     * {@link MemoryHost#ANNOUNCE_INTERVAL_MS}, and its refusal is reported once, not at every announcement.
     */
    private final Map<Integer, String> refusedTables = new TreeMap<>();
    private final MutableDirectBuffer reply;
    private final long startedMs;
    private final ErrorHandler errorHandler;
    private long errors;
    private long granted;
    private long refused;
    private long freedFromDead;

    private PoolController(final Node node, final ErrorHandler errorHandler)
    {
        this.node = node;
        this.errorHandler = errorHandler;
        this.reply = new UnsafeBuffer(BufferUtil.allocateDirectAligned(node.maxMessageLengthBytes(), 64));
        this.startedMs = System.currentTimeMillis();
        node.addPeerListener((nodeId, previous, current, reason) ->
        {
            // A node that closed cleanly is gone too: a host's regions are deregistered, a borrower's chunks unused.
            if (current == PeerState.DEAD || current == PeerState.CLOSED)
            {
                deadNodes.offer(nodeId);
            }
        });
        ControllerLocator.publish(node.fabric(), node.nodeId());
    }

    /**
     * Starts a controller on {@code node} and publishes it as the fabric's controller.
     *
     * @param node         the controller's node.
     * @param errorHandler told of every message or verb that failed (the controller goes on).
     * @return the controller.
     */
    public static PoolController start(final Node node, final ErrorHandler errorHandler)
    {
        return new PoolController(node, errorHandler);
    }

    /**
     * One duty cycle: handles messages, then the deaths the transport reported.
     *
     * @return work done.
     */
    @Override
    public int doWork()
    {
        int work = node.receive(this::onMessage, 64);
        Integer dead;
        while (null != (dead = deadNodes.poll()))
        {
            try
            {
                onNodeDead(dead);
            }
            catch (final RuntimeException ex)
            {
                onError(ex); // the next death, and the next message, are still handled
            }
            work++;
        }
        if (!deferred.isEmpty() && isWarm())
        {
            final List<AllocateRequest> due = new ArrayList<>(deferred);
            deferred.clear();
            for (final AllocateRequest request : due)
            {
                allocate(request);
            }
            work++;
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "pool-controller";
    }

    /**
     * @return the node ids of the hosts known now.
     */
    public Set<Integer> hostIds()
    {
        return new HashSet<>(hosts.keySet());
    }

    /**
     * @return the number of hosts known now.
     */
    public int hostCount()
    {
        return hosts.size();
    }

    /**
     * @return chunks lent so far.
     */
    public long grantedChunks()
    {
        return granted;
    }

    /**
     * @return allocations refused so far.
     */
    public long refusedAllocations()
    {
        return refused;
    }

    /**
     * @return messages or verbs that failed and were skipped.
     */
    public long errors()
    {
        return errors;
    }

    /**
     * @return chunks returned to the pool because their borrower died.
     */
    public long chunksFreedFromDeadBorrowers()
    {
        return freedFromDead;
    }

    /**
     * Closes the controller's queue pairs. The node stays open: its owner closes it.
     */
    @Override
    public void close()
    {
        for (final HostView host : hosts.values())
        {
            host.qp().close();
        }
        hosts.clear();
        for (final QueuePair qp : borrowers.values())
        {
            qp.close();
        }
        borrowers.clear();
    }

    private boolean isWarm()
    {
        return System.currentTimeMillis() - startedMs >= WARM_UP_MS;
    }

    private void onMessage(final int sender, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            switch (PoolMessages.type(buffer, offset, length))
            {
                case PoolMessages.HOST_ONLINE:
                    onHostOnline(PoolMessages.decodeHostOnline(sender, buffer, offset, length));
                    break;
                case PoolMessages.ALLOCATE:
                    onAllocate(AllocateRequest.decode(sender, buffer, offset, length));
                    break;
                case PoolMessages.RELEASE:
                    onRelease(sender, buffer, offset, length, false);
                    break;
                case PoolMessages.RECONCILE:
                    onRelease(sender, buffer, offset, length, true);
                    break;
                case PoolMessages.PARK:
                    onPark(sender, buffer, offset, length);
                    break;
                case PoolMessages.ADOPT:
                    onAdopt(sender, buffer, offset, length);
                    break;
                case PoolMessages.RECLAIM:
                    PoolMessages.checkLength("RECLAIM", length, PoolMessages.COUNT_OFFSET + 4);
                    onReclaim(sender, buffer.getInt(offset + PoolMessages.COUNT_OFFSET));
                    break;
                default:
                    break; // unknown messages are ignored: a newer peer may send more
            }
        }
        catch (final RuntimeException ex)
        {
            // A bad message or a verb on a dying peer must not stop the controller.
            onError(ex);
        }
    }

    /**
     * Takes a host in at its first announcement, unless this controller's node has declared it dead: a paused host
     * that resumes announces itself again, but its table can no longer be changed (compare-and-swap fails with
     * {@code PEER_DEAD}), so it is not lent from until it comes back as a new node (a new process, which the
     * transport judges afresh even under the same node id). Liveness is judged by each node: a controller started
     * after the pause takes the host in. A table that is not one this code reads (see {@link HostView#attach}) is
     * refused, and the refusal reported once per host and reason.
     */
    private void onHostOnline(final RegionHandle tableHandle)
    {
        final int hostNodeId = tableHandle.nodeId();
        if (hosts.containsKey(hostNodeId))
        {
            return;
        }
        if (node.peerState(hostNodeId) != PeerState.ALIVE)
        {
            if (deadAnnouncers.add(hostNodeId))
            {
                onError(new IllegalStateException("host " + hostNodeId + " announced itself, but this controller " +
                    "declared node " + hostNodeId + " dead and a node declared dead stays dead: none of its chunks " +
                    "will be lent again; restart the host to give its memory back to the pool"));
            }
            return;
        }
        deadAnnouncers.remove(hostNodeId);
        final QueuePair qp = node.connect(hostNodeId);
        try
        {
            final HostView host = HostView.attach(qp, tableHandle, this::onHostFailed);
            hosts.put(hostNodeId, host);
            refusedTables.remove(hostNodeId);
            reportGoneOwners(host);
        }
        catch (final IllegalArgumentException ex)
        {
            qp.close();
            if (!ex.getMessage().equals(refusedTables.put(hostNodeId, ex.getMessage())))
            {
                onError(ex); // a table refused for a new reason is reported again
            }
        }
        catch (final RuntimeException ex)
        {
            qp.close();
            throw ex;
        }
    }

    /**
     * Reports as dead every node that a chunk of a newly taken-in host is lent to and that is gone: this node's
     * transport reports only the deaths of nodes it has seen, and a borrower that died while no controller ran (or
     * before this node first scanned the fabric) left no control file to see. Without this its chunks would stay lent
     * to it for ever, lost to the pool across a controller restart. The chunks are freed as for any dead borrower,
     * in this duty cycle ({@link #onNodeDead}); a node reported twice is harmless, the second pass finds nothing.
     */
    private void reportGoneOwners(final HostView host)
    {
        for (final int owner : host.borrowers())
        {
            if (owner != node.nodeId() && isGone(owner))
            {
                deadNodes.offer(owner);
            }
        }
    }

    /**
     * @return whether this node sees the node dead or closed, or finds no control file of it (it closed, or died and
     * was cleaned); a node whose file is still being published is not gone.
     */
    private boolean isGone(final int nodeId)
    {
        try
        {
            return node.peerState(nodeId) != PeerState.ALIVE;
        }
        catch (final FabricFileException ex)
        {
            return !ex.isUnpublished();
        }
    }

    private void onAllocate(final AllocateRequest request)
    {
        if (!isWarm())
        {
            deferred.add(request);
            return;
        }
        allocate(request);
    }

    /**
     * Answers an allocation, always: with the chunks, or with a refusal saying why. Chunks taken for a request that is
     * not granted in full, or whose reply cannot be sent, are given back.
     */
    private void allocate(final AllocateRequest request)
    {
        final int borrower = request.borrower();
        final long requestId = request.requestId();
        final int chunkCount = request.chunkCount();
        if (chunkCount < 1 || chunkCount > MAX_GRANTS_PER_REQUEST)
        {
            refuse(borrower, requestId, "chunk count " + chunkCount + " is outside 1.." + MAX_GRANTS_PER_REQUEST);
            return;
        }
        final List<Chunk> grants = new ArrayList<>();
        try
        {
            lend(request, grants);
        }
        catch (final RuntimeException ex)
        {
            // HostView's verbs do not throw: this is a bug, and still the borrower gets an answer.
            onError(ex);
            giveBack(borrower, grants);
            refuse(borrower, requestId, "the pool controller failed while lending: " + ex);
            return;
        }
        if (grants.size() < chunkCount)
        {
            giveBack(borrower, grants);
            refuse(borrower, requestId, describeExhaustion(request));
            return;
        }
        final int length = PoolMessages.encodeGrantedHeader(reply, requestId, grants.size());
        for (int i = 0; i < grants.size(); i++)
        {
            PoolMessages.encodeGrant(reply, i, grants.get(i));
        }
        if (sendTo(borrower, length))
        {
            granted += grants.size();
        }
        else
        {
            giveBack(borrower, grants);
        }
    }

    /**
     * Lends free chunks to the request's borrower, adding them to {@code grants}: as many as it asked for, or fewer if
     * the hosts cannot lend them. A host whose verb fails is out of the running for the rest of the request, and what
     * it had lent to the request is taken out of {@code grants}: given back if the host is still known, lost with it
     * if it is dead (see {@link #onHostFailed}).
     */
    private void lend(final AllocateRequest request, final List<Chunk> grants)
    {
        final int borrower = request.borrower();
        final int chunkSizeBytes = request.chunkSizeBytes();
        final List<HostView> candidates = new ArrayList<>();
        int free = 0;
        for (final HostView host : new ArrayList<>(hosts.values())) // a refresh may forget a host
        {
            if (host.chunkSizeBytes() == chunkSizeBytes && !request.excludes(host.nodeId()) && host.refresh())
            {
                candidates.add(host);
                free += request.distinctHosts() ? Math.min(1, host.countIn(STATE_FREE)) : host.countIn(STATE_FREE);
            }
        }
        if (free < request.chunkCount())
        {
            return;
        }
        // Spread the chunks over the hosts, the emptiest first, one at a time: parity stripes and reclaims both want a
        // borrower's memory on many hosts. A stripe's chunks must be on distinct hosts, so a host that lent one is then
        // out of the running.
        while (grants.size() < request.chunkCount())
        {
            HostView best = null;
            for (final HostView host : candidates)
            {
                if (host.countIn(STATE_FREE) > 0 && !(request.distinctHosts() && lentTo(grants, host)) &&
                    (null == best || host.countIn(STATE_FREE) > best.countIn(STATE_FREE)))
                {
                    best = host;
                }
            }
            if (null == best)
            {
                return;
            }
            final int chunk = best.firstIn(STATE_FREE);
            final long expected = best.entry(chunk);
            final int swapped = best.compareAndSwap(chunk, expected, next(expected, STATE_LENT, borrower));
            if (SWAPPED == swapped)
            {
                grants.add(new Chunk(best.dataHandle(), chunk, chunkSizeBytes));
            }
            else if (FAILED == swapped)
            {
                final int failed = best.nodeId();
                candidates.remove(best);
                final List<Chunk> onFailedHost = grants.stream().filter(grant -> grant.hostNodeId() == failed).toList();
                grants.removeAll(onFailedHost);
                giveBack(borrower, onFailedHost);
            }
        }
    }

    private static boolean lentTo(final List<Chunk> grants, final HostView host)
    {
        for (final Chunk chunk : grants)
        {
            if (chunk.hostNodeId() == host.nodeId())
            {
                return true;
            }
        }
        return false;
    }

    private String describeExhaustion(final AllocateRequest request)
    {
        final StringBuilder sb = new StringBuilder("pool exhausted: asked for ").append(request.chunkCount())
            .append(" chunks of ").append(request.chunkSizeBytes()).append(" bytes")
            .append(request.distinctHosts() ? ", each on a different host" : "");
        if (request.excludedHosts().length > 0)
        {
            sb.append(", not on hosts ").append(Arrays.toString(request.excludedHosts()));
        }
        sb.append("; free:");
        if (hosts.isEmpty())
        {
            sb.append(" no memory hosts are known");
        }
        for (final HostView host : hosts.values())
        {
            sb.append(" host ").append(host.nodeId()).append(' ').append(host.countIn(STATE_FREE)).append(" of ")
                .append(host.chunkCount()).append(" chunks of ").append(host.chunkSizeBytes()).append(" bytes;");
        }
        if (!deadAnnouncers.isEmpty())
        {
            sb.append(" not lent from: hosts ").append(deadAnnouncers).append(", declared dead (restart them)");
        }
        return sb.toString();
    }

    private void refuse(final int borrower, final long requestId, final String reason)
    {
        refused++;
        sendTo(borrower, PoolMessages.encodeRefused(reply, requestId, reason));
    }

    private void onRelease(final int borrower, final DirectBuffer buffer, final int offset, final int length,
        final boolean reconcile)
    {
        final int count = PoolMessages.chunkRefCount(reconcile ? "RECONCILE" : "RELEASE", buffer, offset, length);
        final Set<Long> listed = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            final int host = PoolMessages.chunkRefHost(buffer, offset, i);
            final int chunk = PoolMessages.chunkRefIndex(buffer, offset, i);
            if (reconcile)
            {
                listed.add(((long)host << 32) | chunk);
            }
            else
            {
                giveBack(borrower, host, chunk, true);
            }
        }
        if (reconcile)
        {
            for (final HostView host : new ArrayList<>(hosts.values())) // a refresh may forget a host
            {
                if (!host.refresh())
                {
                    continue;
                }
                for (int chunk = 0; chunk < host.chunkCount(); chunk++)
                {
                    final long entry = host.entry(chunk);
                    if (owner(entry) == borrower && state(entry) != STATE_FREE && state(entry) != STATE_WITHDRAWN &&
                        !listed.contains(((long)host.nodeId() << 32) | chunk))
                    {
                        giveBack(borrower, host.nodeId(), chunk, false);
                    }
                }
            }
        }
    }

    private void giveBack(final int borrower, final List<Chunk> chunks)
    {
        for (final Chunk chunk : chunks)
        {
            giveBack(borrower, chunk.hostNodeId(), chunk.chunkIndex(), false);
        }
    }

    /**
     * Returns a chunk lent to {@code borrower} ({@link HostView#giveBack}). A chunk of a host that is not known (or no
     * longer: it died) is left as it is.
     */
    private void giveBack(final int borrower, final int hostNodeId, final int chunk, final boolean refresh)
    {
        final HostView host = hosts.get(hostNodeId);
        if (null != host && chunk >= 0 && chunk < host.chunkCount())
        {
            host.giveBack(chunk, borrower, refresh);
        }
    }

    /**
     * Parks chunks lent to {@code borrower}: still lent, to nobody (owner 0), so that their data outlives the
     * borrower until another node adopts them. Answers how many were parked.
     */
    private void onPark(final int borrower, final DirectBuffer buffer, final int offset, final int length)
    {
        final int count = PoolMessages.requestChunkRefCount("PARK", buffer, offset, length);
        final long requestId = buffer.getLong(offset + PoolMessages.LONG_OFFSET);
        final int at = PoolMessages.REQUEST_CHUNKS_OFFSET - PoolMessages.CHUNKS_OFFSET;
        int parked = 0;
        for (int i = 0; i < count; i++)
        {
            final HostView host = hosts.get(PoolMessages.chunkRefHost(buffer, offset + at, i));
            final int chunk = PoolMessages.chunkRefIndex(buffer, offset + at, i);
            if (null != host && chunk >= 0 && chunk < host.chunkCount() &&
                host.transfer(chunk, borrower, 0))
            {
                parked++;
            }
        }
        sendTo(borrower, PoolMessages.encodeParked(reply, requestId, parked));
    }

    /**
     * Hands parked chunks to {@code adopter}: all of them, or none (a refusal says which one was not parked).
     */
    private void onAdopt(final int adopter, final DirectBuffer buffer, final int offset, final int length)
    {
        final int count = PoolMessages.requestChunkRefCount("ADOPT", buffer, offset, length);
        final long requestId = buffer.getLong(offset + PoolMessages.LONG_OFFSET);
        final int at = PoolMessages.REQUEST_CHUNKS_OFFSET - PoolMessages.CHUNKS_OFFSET;
        final List<Chunk> adopted = new ArrayList<>();
        String problem = null;
        for (int i = 0; i < count && null == problem; i++)
        {
            final int hostId = PoolMessages.chunkRefHost(buffer, offset + at, i);
            final int chunk = PoolMessages.chunkRefIndex(buffer, offset + at, i);
            final HostView host = hosts.get(hostId);
            if (null == host || chunk < 0 || chunk >= host.chunkCount())
            {
                problem = "chunk " + chunk + " of host " + hostId + " is not known to the pool";
            }
            else if (host.transfer(chunk, 0, adopter))
            {
                adopted.add(new Chunk(host.dataHandle(), chunk, host.chunkSizeBytes()));
            }
            else if (hosts.get(hostId) != host)
            {
                problem = "host " + hostId + " of chunk " + chunk + " is dead";
            }
            else
            {
                problem = "chunk " + chunk + " of host " + hostId + " is not parked (it is " +
                    stateName(state(host.entry(chunk))) + (owner(host.entry(chunk)) != 0 ?
                    " by node " + owner(host.entry(chunk)) : "") + ")";
            }
        }
        if (null != problem)
        {
            for (final Chunk chunk : adopted)
            {
                final HostView host = hosts.get(chunk.hostNodeId());
                if (null != host)
                {
                    host.transfer(chunk.chunkIndex(), adopter, 0);
                }
            }
            refuse(adopter, requestId, "cannot adopt: " + problem);
            return;
        }
        final int replyLength = PoolMessages.encodeGrantedHeader(reply, requestId, adopted.size());
        for (int i = 0; i < adopted.size(); i++)
        {
            PoolMessages.encodeGrant(reply, i, adopted.get(i));
        }
        sendTo(adopter, replyLength);
    }

    private void onReclaim(final int hostNodeId, final int chunkCount)
    {
        final HostView host = hosts.get(hostNodeId);
        if (null == host || !host.refresh())
        {
            return;
        }
        // A failed swap ends the reclaim: the host is dead or leaving (and forgotten), or the failure is reported.
        int taken = 0;
        for (int chunk = 0; chunk < host.chunkCount() && taken < chunkCount; chunk++)
        {
            final long entry = host.entry(chunk);
            if (state(entry) == STATE_FREE)
            {
                final int swapped = host.compareAndSwap(chunk, entry, next(entry, STATE_WITHDRAWN, 0));
                if (FAILED == swapped)
                {
                    return;
                }
                taken += SWAPPED == swapped ? 1 : 0;
            }
        }
        for (int chunk = 0; chunk < host.chunkCount() && taken < chunkCount; chunk++)
        {
            final long entry = host.entry(chunk);
            // A parked chunk (lent to no node) is not asked back: no node could move its data, and marked reclaiming
            // it could no longer be adopted. It is asked of its adopter at the host's next reclaim.
            if (state(entry) == STATE_LENT && owner(entry) != 0)
            {
                final int swapped = host.compareAndSwap(chunk, entry, next(entry, STATE_RECLAIMING, owner(entry)));
                if (FAILED == swapped)
                {
                    return;
                }
                if (SWAPPED == swapped)
                {
                    taken++;
                    sendTo(owner(entry), PoolMessages.encodeEvacuate(reply, hostNodeId, chunk));
                }
            }
        }
    }

    private void onNodeDead(final int nodeId)
    {
        final HostView deadHost = hosts.remove(nodeId);
        if (null != deadHost)
        {
            deadHost.qp().close(); // its memory is gone with it: borrowers see their verbs fail (next issue's work)
        }
        final QueuePair borrower = borrowers.remove(nodeId);
        if (null != borrower)
        {
            borrower.close();
        }
        for (final HostView host : new ArrayList<>(hosts.values())) // a refresh may forget a host
        {
            if (!host.refresh())
            {
                continue;
            }
            for (int chunk = 0; chunk < host.chunkCount(); chunk++)
            {
                final long entry = host.entry(chunk);
                if (owner(entry) == nodeId && (state(entry) == STATE_LENT || state(entry) == STATE_RECLAIMING))
                {
                    final int nextState = state(entry) == STATE_RECLAIMING ? STATE_WITHDRAWN : STATE_FREE;
                    final int swapped = host.compareAndSwap(chunk, entry, next(entry, nextState, 0));
                    if (FAILED == swapped)
                    {
                        break; // this host is dead too (and forgotten), or failed and reported: on to the next
                    }
                    freedFromDead += SWAPPED == swapped ? 1 : 0;
                }
            }
        }
    }

    private void onError(final Throwable ex)
    {
        errors++;
        errorHandler.onError(ex);
    }

    /**
     * A verb on a host's table failed. A host whose node is dead (or closed) to this node is forgotten: no verb but
     * READ will work on it again (see {@link #onHostOnline} for when it announces itself again). A host that
     * deregistered its table is shutting down, and a verb that failed with {@code PEER_DEAD} met a node that closed:
     * either is forgotten now rather than failing every pass until this node's conductor notices. Any other failure
     * is reported, and the host kept.
     */
    private void onHostFailed(final HostView host, final RuntimeException ex)
    {
        if (hosts.get(host.nodeId()) != host)
        {
            return; // forgotten already, earlier in the same pass
        }
        if (host.qp().peerState() != PeerState.ALIVE || (ex instanceof VerbException verbEx &&
            (CompletionStatus.REMOTE_ACCESS_ERROR == verbEx.status() || CompletionStatus.PEER_DEAD == verbEx.status())))
        {
            hosts.remove(host.nodeId());
            host.qp().close();
        }
        else
        {
            onError(ex);
        }
    }

    private boolean sendTo(final int nodeId, final int length)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            QueuePair qp = borrowers.get(nodeId);
            if (null == qp)
            {
                try
                {
                    qp = node.connect(nodeId);
                }
                catch (final RuntimeException ex)
                {
                    return false;
                }
                borrowers.put(nodeId, qp);
            }
            final int result;
            try
            {
                result = PoolSends.send(qp, reply, length, 1_000);
            }
            catch (final RuntimeException ex)
            {
                onError(ex); // the lane's file could not be created: a failed send, which the caller undoes
                return false;
            }
            if (QueuePair.OK == result)
            {
                return true;
            }
            if (QueuePair.BACK_PRESSURED == result)
            {
                return false;
            }
            // The queue pair reached an earlier node with this id, now gone: connect to the current one once more.
            borrowers.remove(nodeId);
            qp.close();
        }
        return false;
    }
}
