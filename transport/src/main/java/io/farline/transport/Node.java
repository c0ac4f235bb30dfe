package io.farline.transport;

import io.farline.transport.control.ControlFile;
import io.farline.transport.internal.SharedFiles;
import io.farline.transport.lane.LaneFile;
import io.farline.transport.region.RegionFile;
import io.farline.transport.region.RegionFileDescriptor;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A node: one process's presence on a fabric. It owns a control file (heartbeat, inbox, counters), registers memory
 * regions that peers reach with one-sided verbs, connects queue pairs to peers, receives messages, and watches its
 * peers' liveness.
 * <p>
 * Messages arrive on lanes: each queue pair that SENDs to this node does so through a one-to-one ring of its own (a
 * lane file, see {@link io.farline.transport.lane.LaneFileDescriptor}), which it announces, and later closes,
 * through this node's many-to-one inbox. {@link #receive} takes those announcements, then reads the lanes in turn.
 * <p>
 * A conductor duty cycle publishes the heartbeat every {@code heartbeatIntervalMs} and judges peers every interval
 * (see {@link Liveness}), telling {@link PeerListener}s of changes; it runs on a thread of its own unless configured
 * otherwise, in which case the application calls {@link #doConductorWork()}.
 * <p>
 * Threading: registration, connection, listeners and close are thread-safe (cold paths, synchronised).
 * {@link #receive} is for one thread at a time: each lane has one consumer. Queue pairs are single-threaded (see
 * {@link QueuePair}). After {@link #close()} every method throws {@link IllegalStateException}.
 */
public final class Node implements AutoCloseable
{
    private static final int QUEUE_PAIR_DEFAULT_CQ_CAPACITY = 4096;

    private final Fabric fabric;
    private final int nodeId;
    private final ControlFile controlFile;
    private final int maxMessageLength;
    private final CountersManager countersManager;
    private final LinkModel linkModel;
    private final long attachTimeoutMs;
    private final long livenessTimeoutMs;
    private final ErrorHandler errorHandler;
    private final AtomicCounter[] errorCounters = new AtomicCounter[Verb.count()];
    private final AtomicCounter[] closedOpsCounters = new AtomicCounter[Verb.count()];
    private final AtomicCounter[] closedBytesCounters = new AtomicCounter[Verb.count()];
    private final AtomicCounter recvOps;
    private final AtomicCounter recvBytes;
    private final CountingMessageHandler countingHandler;
    private final InboundLanes inboundLanes;
    private final Int2ObjectHashMap<RegisteredRegion> regions = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<RemotePeer> peers = new Int2ObjectHashMap<>();
    private final List<QueuePair> queuePairs = new ArrayList<>();
    private final List<PeerListener> listeners = new CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private final NodeConductor conductor;
    private final AgentRunner conductorRunner;
    private final AgentInvoker conductorInvoker;
    private int nextRegionId = 1;
    private int nextLaneId = 1;
    private volatile boolean closed;

    private Node(final NodeConfig config, final int nodeId, final ControlFile controlFile)
    {
        this.fabric = config.fabric();
        this.nodeId = nodeId;
        this.controlFile = controlFile;
        this.linkModel = config.linkModel();
        this.attachTimeoutMs = config.attachTimeoutMs();
        this.livenessTimeoutMs = config.livenessTimeoutMs();
        this.errorHandler = config.errorHandler();
        this.maxMessageLength = new ManyToOneRingBuffer(controlFile.inboxBuffer()).maxMsgLength();
        this.countersManager = new CountersManager(
            controlFile.countersMetadataBuffer(), controlFile.countersValuesBuffer(), StandardCharsets.US_ASCII);
        final String owner = "node " + nodeId;
        for (final Verb verb : Verb.values())
        {
            errorCounters[verb.ordinal()] = VerbCounters.allocate(countersManager, owner, verb, VerbCounters.ERRORS);
            if (verb != Verb.RECV)
            {
                closedOpsCounters[verb.ordinal()] =
                    VerbCounters.allocate(countersManager, owner + " closed qps", verb, VerbCounters.OPS);
                closedBytesCounters[verb.ordinal()] =
                    VerbCounters.allocate(countersManager, owner + " closed qps", verb, VerbCounters.BYTES);
            }
        }
        recvOps = VerbCounters.allocate(countersManager, owner, Verb.RECV, VerbCounters.OPS);
        recvBytes = VerbCounters.allocate(countersManager, owner, Verb.RECV, VerbCounters.BYTES);
        countingHandler = new CountingMessageHandler();
        inboundLanes = new InboundLanes(this, controlFile.inboxBuffer(), countingHandler, config.attachTimeoutMs());

        conductor = new NodeConductor(this, controlFile, config.heartbeatIntervalMs(), config.livenessTimeoutMs());
        if (config.conductorThread())
        {
            // The conductor has work a few times per heartbeat interval; sleeping a tenth of it keeps it off a busy
            // machine's cores while adding at most that much to liveness decisions.
            final long idleMs = Math.max(1, config.heartbeatIntervalMs() / 10);
            conductorRunner = new AgentRunner(new SleepingMillisIdleStrategy(idleMs), errorHandler, null, conductor);
            conductorInvoker = null;
            AgentRunner.startOnThread(conductorRunner, runnable ->
            {
                final Thread thread = new Thread(runnable, "farline-conductor-" + nodeId);
                thread.setDaemon(true);
                return thread;
            });
        }
        else
        {
            conductorRunner = null;
            conductorInvoker = new AgentInvoker(errorHandler, null, conductor);
            conductorInvoker.start();
        }
    }

    /**
     * Starts a node: creates and publishes its control file and starts its conductor.
     *
     * @param config the node's configuration; its fabric is required.
     * @return the running node.
     * @throws IllegalArgumentException if the fabric is missing, or the node id is taken.
     * @throws UncheckedIOException     if the control file cannot be created.
     */
    public static Node launch(final NodeConfig config)
    {
        final Fabric fabric = config.fabric();
        if (null == fabric)
        {
            throw new IllegalArgumentException("NodeConfig.fabric(...) is required");
        }
        final long startTimeMs = System.currentTimeMillis();
        final int first = config.nodeId() == 0 ? fabric.nextNodeIdHint() : config.nodeId();
        final int attempts = config.nodeId() == 0 ? Fabric.MAX_NODE_ID : 1;
        for (int attempt = 0, id = first; attempt < attempts; attempt++, id = id == Fabric.MAX_NODE_ID ? 1 : id + 1)
        {
            try
            {
                final ControlFile controlFile = ControlFile.create(
                    fabric.controlFile(id), id, config.inboxCapacityBytes(), config.counterCount(), startTimeMs);
                return new Node(config, id, controlFile);
            }
            catch (final FileAlreadyExistsException ex)
            {
                if (config.nodeId() != 0)
                {
                    throw new IllegalArgumentException("node id " + id + " is taken in " + fabric.directory() +
                        " (by a live node, or a dead one whose files are kept for recovery: ./farline clean " +
                        "removes those)");
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot create control file for node " + id + " in " +
                    fabric.directory(), ex);
            }
        }
        throw new IllegalStateException("no free node id in 1.." + Fabric.MAX_NODE_ID + " in " + fabric.directory());
    }

    /**
     * @return this node's id.
     */
    public int nodeId()
    {
        return nodeId;
    }

    /**
     * @return the fabric this node is on.
     */
    public Fabric fabric()
    {
        return fabric;
    }

    /**
     * @return the liveness timeout this node judges peers by, ms.
     */
    public long livenessTimeoutMs()
    {
        return livenessTimeoutMs;
    }

    /**
     * @return the largest message a SEND to this node may carry: an eighth of its inbox capacity, which its lanes
     * have too.
     */
    public int maxMessageLengthBytes()
    {
        return maxMessageLength;
    }

    /**
     * Registers a region of memory peers can reach, modelled on {@code ibv_reg_mr}: a new mapped file with a random
     * 64-bit rkey.
     *
     * @param lengthBytes 1 byte to 1 GiB.
     * @param accessFlags see {@link AccessFlags}.
     * @return the registered region.
     * @throws IllegalArgumentException for a bad length or flags.
     */
    public RegisteredRegion registerRegion(final long lengthBytes, final int accessFlags)
    {
        final String flagsProblem = AccessFlags.check(accessFlags);
        if (null != flagsProblem)
        {
            throw new IllegalArgumentException(flagsProblem);
        }
        final String lengthProblem = RegionFileDescriptor.checkDataLength(lengthBytes);
        if (null != lengthProblem)
        {
            throw new IllegalArgumentException("region " + lengthProblem);
        }
        synchronized (this)
        {
            checkOpen();
            final int regionId = nextRegionId++;
            long rkey;
            do
            {
                rkey = random.nextLong();
            }
            while (rkey == 0);
            try
            {
                final RegionFile file = RegionFile.create(
                    fabric.regionFile(nodeId, regionId), nodeId, regionId, accessFlags, rkey, lengthBytes);
                final RegisteredRegion region = new RegisteredRegion(this, file);
                regions.put(regionId, region);
                return region;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot register region " + regionId + " of " + lengthBytes +
                    " bytes in " + fabric.directory(), ex);
            }
        }
    }

    /**
     * Connects a queue pair to a peer, with a completion queue of its own.
     *
     * @param peerNodeId the peer; may be this node (loopback).
     * @return the queue pair.
     * @throws FabricFileException if the peer's control file is missing or refused.
     */
    public QueuePair connect(final int peerNodeId)
    {
        return connect(peerNodeId, new CompletionQueue(QUEUE_PAIR_DEFAULT_CQ_CAPACITY));
    }

    /**
     * Connects a queue pair to a peer, completing on the given queue (which the same thread must poll).
     *
     * @param peerNodeId      the peer; may be this node (loopback).
     * @param completionQueue where its work requests complete.
     * @return the queue pair.
     * @throws FabricFileException if the peer's control file is missing or refused.
     */
    public QueuePair connect(final int peerNodeId, final CompletionQueue completionQueue)
    {
        if (peerNodeId < 1 || peerNodeId > Fabric.MAX_NODE_ID)
        {
            throw new IllegalArgumentException("peer node id " + peerNodeId + " is outside 1.." + Fabric.MAX_NODE_ID);
        }
        final RemotePeer peer = peer(peerNodeId);
        synchronized (this)
        {
            checkOpen();
            final QueuePair queuePair = new QueuePair(this, peer, completionQueue, linkModel);
            queuePair.allocateCounters();
            queuePairs.add(queuePair);
            return queuePair;
        }
    }

    /**
     * Receives messages SENT to this node: up to {@code limit} of them, each to the handler with the sender's node
     * id as its message type id. Messages of one queue pair arrive in the order sent; lanes are read in turn, from
     * a different first lane on each call. One thread at a time.
     *
     * @param handler receives (sender node id, buffer, offset, length); the buffer is valid during the call only.
     * @param limit   most messages to receive.
     * @return messages received.
     */
    public int receive(final MessageHandler handler, final int limit)
    {
        checkOpen();
        // The delegate is left in place after the call: clearing it would cost a store on every (empty) poll.
        countingHandler.delegate = handler;
        try
        {
            return inboundLanes.read(limit);
        }
        finally
        {
            // Counts what reached the handler, the message it threw on included (it was consumed), so a throwing
            // handler leaves nothing to be counted by a later call.
            final int messages = countingHandler.messages;
            if (messages > 0)
            {
                // Single writer (one receiving thread at a time): plain, once per batch; readers may see it late.
                recvOps.getAndAddPlain(messages);
                recvBytes.getAndAddPlain(countingHandler.bytes);
                countingHandler.messages = 0;
                countingHandler.bytes = 0;
            }
        }
    }

    /**
     * @param listener told of peers' state changes, on the conductor thread.
     */
    public void addPeerListener(final PeerListener listener)
    {
        listeners.add(listener);
    }

    /**
     * @param listener to remove.
     */
    public void removePeerListener(final PeerListener listener)
    {
        listeners.remove(listener);
    }

    /**
     * This node's view of a peer, judging it now if it is not yet known.
     *
     * @param peerNodeId the peer.
     * @return its state; for a known peer whose control file is gone (closed, or cleaned), its last state.
     * @throws FabricFileException if the peer is not yet known and its control file is missing or refused.
     */
    public PeerState peerState(final int peerNodeId)
    {
        return peer(peerNodeId).state();
    }

    /**
     * Runs one duty cycle of the conductor (heartbeat and liveness) when configured without a conductor thread.
     *
     * @return work done.
     * @throws IllegalStateException if the node has its own conductor thread.
     */
    public int doConductorWork()
    {
        if (null == conductorInvoker)
        {
            throw new IllegalStateException("node " + nodeId + " runs its conductor on a thread of its own");
        }
        return conductorInvoker.invoke();
    }

    /**
     * Allocates an application counter in this node's control file, visible to {@code ./farline stat}.
     *
     * @param label  what it counts.
     * @param typeId an application type id, below 1000 (Farline's verb counters use 1000 and up).
     * @return the counter; close it to free it.
     */
    public AtomicCounter newCounter(final String label, final int typeId)
    {
        synchronized (this)
        {
            checkOpen();
            return countersManager.newCounter(label, typeId);
        }
    }

    /**
     * Closes the node: closes its queue pairs, marks the control file closed, deregisters its regions (deleting their
     * files), stops the conductor and deletes the control file. Idempotent.
     */
    @Override
    public void close()
    {
        final List<QueuePair> openQueuePairs;
        final List<RegisteredRegion> openRegions;
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            openQueuePairs = new ArrayList<>(queuePairs);
            openRegions = new ArrayList<>(regions.values());
        }
        for (final QueuePair queuePair : openQueuePairs)
        {
            queuePair.close();
        }
        // Closed before the regions go: a peer whose verb finds a region deregistered then sees why, the node's close
        // (PEER_DEAD), rather than blaming its request (QueuePair.blameClosedPeer).
        controlFile.markClosedRelease();
        for (final RegisteredRegion region : openRegions)
        {
            region.close();
        }
        synchronized (this)
        {
            closed = true;
        }
        if (null != conductorRunner)
        {
            conductorRunner.close();
        }
        else
        {
            conductorInvoker.close();
        }
        inboundLanes.deleteFiles();
        SharedFiles.deleteIfExists(controlFile.file());
    }

    /**
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    @Override
    public String toString()
    {
        return "Node{id=" + nodeId + ", fabric=" + fabric.directory() + (closed ? ", closed" : "") + '}';
    }

    RemotePeer peer(final int peerNodeId)
    {
        return peer(peerNodeId, attachTimeoutMs);
    }

    RemotePeer peer(final int peerNodeId, final long timeoutMs)
    {
        synchronized (this)
        {
            checkOpen();
            final RemotePeer known = peers.get(peerNodeId);
            if (null != known && known.isLatestIncarnation())
            {
                return known; // a peer whose file is gone keeps its last state: closed, dead, or alive until judged
            }
        }
        final ControlFile peerFile = ControlFile.attach(fabric.controlFile(peerNodeId), peerNodeId, timeoutMs);
        final RemotePeer peer = new RemotePeer(fabric, peerFile, attachTimeoutMs);
        final Liveness.Verdict verdict = Liveness.evaluate(peerFile, System.currentTimeMillis(), livenessTimeoutMs);
        peer.state(verdict.state(), verdict.reason());
        final RemotePeer replaced;
        synchronized (this)
        {
            final RemotePeer known = peers.get(peerNodeId);
            if (null != known && known.isSameIncarnation())
            {
                return known;
            }
            replaced = known;
            peers.put(peerNodeId, peer);
        }
        if (null != replaced && replaced.state() == PeerState.ALIVE)
        {
            // The id now names a newer process: the one this node knew is gone, whether or not a scan saw it go.
            final String reason = "node id " + peerNodeId + " now belongs to a newer process";
            replaced.state(PeerState.DEAD, reason);
            notifyListeners(peerNodeId, PeerState.ALIVE, PeerState.DEAD, reason);
        }
        notifyListeners(peerNodeId, null, verdict.state(), verdict.reason());
        return peer;
    }

    /**
     * Cold: whether a peer will send nothing more. It has if its control file is gone (closed and deleted, or
     * cleaned) or refused, says it closed, or names a process that is gone. A peer judged dead only because its
     * heartbeat is late has not: it may be stalled, and still sending. Tells no listener, whatever it finds.
     *
     * @param peerNodeId a peer.
     * @return true if the peer (the incarnation holding the id now) is gone for good.
     */
    boolean isGoneForGood(final int peerNodeId)
    {
        final RemotePeer known;
        synchronized (this)
        {
            known = peers.get(peerNodeId);
        }
        final ControlFile file;
        if (null != known && known.isSameIncarnation())
        {
            file = known.controlFile();
        }
        else
        {
            try
            {
                file = ControlFile.attach(fabric.controlFile(peerNodeId), peerNodeId, 0);
            }
            catch (final FabricFileException ex)
            {
                return !ex.isUnpublished(); // a node still starting is not gone
            }
        }
        return null != Liveness.goneForGood(file);
    }

    /**
     * Cold: this node's current view of a peer, without judging it or telling listeners.
     *
     * @param peerNodeId a peer.
     * @return true if the peer is known and judged alive.
     */
    synchronized boolean isKnownAlive(final int peerNodeId)
    {
        final RemotePeer known = peers.get(peerNodeId);
        return null != known && known.isAlive();
    }

    /**
     * Creates the file of a new lane from this node to a peer, with the capacity of the peer's inbox. A file of the
     * same name can only be left by an earlier process that held this node's id, since this node holds it now: it is
     * replaced.
     *
     * @param peer the receiver.
     * @return the lane, published and empty.
     * @throws UncheckedIOException if the file cannot be created.
     */
    LaneFile openLane(final RemotePeer peer)
    {
        final int laneId;
        synchronized (this)
        {
            checkOpen();
            laneId = nextLaneId;
            // Ids stay positive, as the lane file name pattern expects; two billion lanes later they start again.
            nextLaneId = nextLaneId == Integer.MAX_VALUE ? 1 : nextLaneId + 1;
        }
        final Path file = fabric.laneFile(nodeId, laneId, peer.nodeId());
        try
        {
            try
            {
                return LaneFile.create(file, nodeId, peer.nodeId(), laneId, peer.laneCapacity());
            }
            catch (final FileAlreadyExistsException ex)
            {
                SharedFiles.deleteIfExists(file);
                return LaneFile.create(file, nodeId, peer.nodeId(), laneId, peer.laneCapacity());
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create lane file " + file, ex);
        }
    }

    /**
     * @return lanes this node receives on.
     */
    int inboundLaneCount()
    {
        return inboundLanes.laneCount();
    }

    synchronized RemotePeer[] knownPeers()
    {
        return peers.values().toArray(new RemotePeer[0]);
    }

    synchronized boolean isKnownIncarnation(final int peerNodeId)
    {
        final RemotePeer known = peers.get(peerNodeId);
        return null != known && known.isSameIncarnation();
    }

    void notifyListeners(final int peerNodeId, final PeerState previous, final PeerState current,
        final String reason)
    {
        inboundLanes.onPeerStateChange();
        for (final PeerListener listener : listeners)
        {
            try
            {
                listener.onPeerStateChange(peerNodeId, previous, current, reason);
            }
            catch (final Throwable ex)
            {
                errorHandler.onError(ex);
                if (ex instanceof Error)
                {
                    throw (Error)ex;
                }
            }
        }
    }

    ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    AtomicCounter newVerbCounter(final String owner, final Verb verb, final int kind)
    {
        synchronized (this)
        {
            return VerbCounters.allocate(countersManager, owner, verb, kind);
        }
    }

    void countError(final Verb verb)
    {
        // Atomic: errors of every queue pair of this node share the counter; errors are rare.
        errorCounters[verb.ordinal()].increment();
    }

    void onQueuePairClosed(final QueuePair queuePair, final AtomicCounter[] ops, final AtomicCounter[] bytes)
    {
        synchronized (this)
        {
            queuePairs.remove(queuePair);
            for (int i = 0; i < ops.length; i++)
            {
                if (null != ops[i])
                {
                    // Add to the closed totals before freeing, so a reader never sees the total drop.
                    closedOpsCounters[i].getAndAdd(ops[i].get());
                    closedBytesCounters[i].getAndAdd(bytes[i].get());
                    ops[i].close();
                    bytes[i].close();
                }
            }
        }
    }

    synchronized void onRegionClosed(final RegisteredRegion region)
    {
        regions.remove(region.regionId());
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("node " + nodeId + " is closed");
        }
    }

    /**
     * Counts the messages of one receive and their bytes, then hands each message on. Preallocated: receiving
     * allocates nothing; {@link #receive} publishes the totals to the RECV counters once per call and resets them.
     */
    private static final class CountingMessageHandler implements MessageHandler
    {
        private MessageHandler delegate;
        private int messages;
        private long bytes;

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index,
            final int length)
        {
            messages++;
            bytes += length;
            delegate.onMessage(msgTypeId, buffer, index, length);
        }
    }
}
