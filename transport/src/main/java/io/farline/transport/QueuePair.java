package io.farline.transport;

import org.agrona.DirectBuffer;
import io.farline.transport.internal.SharedFiles;
import io.farline.transport.lane.LaneAnnouncementDescriptor;
import io.farline.transport.lane.LaneFile;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import static io.farline.transport.lane.LaneAnnouncementDescriptor.ANNOUNCEMENT_LENGTH;
import static io.farline.transport.lane.LaneAnnouncementDescriptor.LANE_CLOSED_MSG_TYPE_ID;
import static io.farline.transport.lane.LaneAnnouncementDescriptor.LANE_OPENED_MSG_TYPE_ID;

/**
 * A connection from this node to one peer, on which work requests are posted: one-sided READ, WRITE,
 * COMPARE_AND_SWAP and FETCH_AND_ADD on the peer's registered regions, and SEND to the peer. Obtained from
 * {@link Node#connect(int)}.
 *
 * <h2>How a verb runs</h2>
 * The posting thread plays the NIC: it checks the request as the peer's NIC would (rkey, access flags,
 * registration state, bounds, alignment; see {@link CompletionStatus}) and then moves the data directly in the
 * peer's mapped region, without the peer's CPU. The result is a completion on the queue pair's
 * {@link CompletionQueue}. Bad remote requests are error completions, never exceptions; programming errors on
 * this side (a local buffer too small, a region attached to another queue pair, use after close) throw.
 *
 * <h2>Ordering guarantees (those of an RDMA reliable connection)</h2>
 * <ul>
 *     <li>Requests of one queue pair execute in posting order and complete in posting order.</li>
 *     <li>A READ posted after a WRITE on the same queue pair sees that WRITE's data; an atomic sees earlier
 *     WRITEs and atomics of the queue pair.</li>
 *     <li>A SEND posted after a WRITE: a receiver that has received the SEND sees the WRITE's data (the lane
 *     commit is a release store, the receive an acquire load).</li>
 *     <li>SENDs of one queue pair are received in the order sent.</li>
 *     <li>COMPARE_AND_SWAP and FETCH_AND_ADD are atomic with respect to each other from any node and to the owner's
 *     own atomic operations on the word (stronger than RDMA, whose NIC atomics are not atomic with CPU atomics).</li>
 *     <li>No order is promised between different queue pairs, nor between a WRITE and the owner's plain reads:
 *     the owner learns of a WRITE through a later SEND or atomic, as with RDMA.</li>
 *     <li>A request racing with the region's deregistration may or may not complete; every request checked after
 *     the deregistration fails with {@link CompletionStatus#REMOTE_ACCESS_ERROR}.</li>
 * </ul>
 *
 * <h2>SENDs travel on a lane</h2>
 * The first SEND creates this queue pair's lane, a one-to-one ring in a file of its own with the capacity of the
 * peer's inbox (see {@link io.farline.transport.lane.LaneFileDescriptor}), and announces it in the peer's
 * many-to-one inbox; every SEND then writes to the lane, with no atomic instruction, as an Aeron publication
 * writes to its own log. Closing the queue pair marks the lane closed and announces its end; the peer drains it and
 * deletes its file. A full inbox at the first SEND, like a full lane later, is back-pressure.
 *
 * <h2>Dead peers</h2>
 * Once this node's conductor declares the peer dead, WRITE, atomics and SEND fail with {@code PEER_DEAD}; READ
 * still succeeds while the region file exists, modelling the seed's NIC that serves a crashed host's memory, so
 * that a dead node's data can be recovered. A peer that closed cleanly took its regions with it: once they are
 * deregistered every verb on them fails with {@code PEER_DEAD}, even before this node's conductor notices the close.
 *
 * <h2>Threading</h2>
 * Not thread-safe: one thread posts on a queue pair and polls its completion queue. Posting allocates nothing and
 * takes no lock; per-verb counters are single-writer (plain load and store, no atomic instruction). Sending
 * allocates nothing after the first SEND, which creates the lane (cold: a file and a mapping).
 */
public final class QueuePair implements AutoCloseable
{
    /** A post or send was accepted. */
    public static final int OK = 0;
    /** The completion queue is full: poll it, then post again. */
    public static final int QUEUE_FULL = -1;
    /** The peer's lane (or, at the first SEND, its inbox) is full: the message was not sent; try again later. */
    public static final int BACK_PRESSURED = -2;
    /** The peer is dead or closed: the message was not sent. */
    public static final int PEER_DEAD = -3;

    private final Node node;
    private final RemotePeer peer;
    private final CompletionQueue completionQueue;
    private final ManyToOneRingBuffer peerInbox;
    private final int localNodeId;
    private final LinkModel linkModel;
    private final boolean linkModelEnabled;
    private final AtomicCounter[] opsCounters = new AtomicCounter[Verb.count()];
    private final AtomicCounter[] bytesCounters = new AtomicCounter[Verb.count()];
    private final int maxMessageLength;
    private final UnsafeBuffer announcement = new UnsafeBuffer(new byte[ANNOUNCEMENT_LENGTH]);
    /** The lane once announced: the sending thread's, plain, read on every SEND. */
    private OneToOneRingBuffer lane;
    /** The lane's file once created, for a close on another thread (cold, written once). */
    private volatile LaneFile laneFile;
    /** True once the lane was announced, for a close on another thread (cold, written once). */
    private volatile boolean laneAnnounced;
    /** The thread that opened the lane: the sending thread, the only one that may unmap it. */
    private Thread laneOpener;
    private AtomicCounter sendOps;
    private AtomicCounter sendBytes;
    private long linkFreeAtNs;
    private long lastReadyAtNs;
    private long result;
    private volatile boolean closed;

    QueuePair(final Node node, final RemotePeer peer, final CompletionQueue completionQueue,
        final LinkModel linkModel)
    {
        this.node = node;
        this.peer = peer;
        this.completionQueue = completionQueue;
        this.localNodeId = node.nodeId();
        this.peerInbox = new ManyToOneRingBuffer(peer.controlFile().inboxBuffer());
        this.linkModel = linkModel;
        this.linkModelEnabled = linkModel.isEnabled();
        this.maxMessageLength = peer.maxMessageLength();
    }

    void allocateCounters()
    {
        final String owner = "qp " + localNodeId + "->" + peer.nodeId();
        for (final Verb verb : Verb.values())
        {
            if (verb != Verb.RECV)
            {
                opsCounters[verb.ordinal()] = node.newVerbCounter(owner, verb, VerbCounters.OPS);
                bytesCounters[verb.ordinal()] = node.newVerbCounter(owner, verb, VerbCounters.BYTES);
            }
        }
        sendOps = opsCounters[Verb.SEND.ordinal()];
        sendBytes = bytesCounters[Verb.SEND.ordinal()];
    }

    /**
     * @return the peer's node id.
     */
    public int peerNodeId()
    {
        return peer.nodeId();
    }

    /**
     * This node's current view of the peer, and a peer that has closed even before this node's conductor judges it:
     * a closing node marks its control file closed before it deregisters its regions, so a caller that asks here
     * before a verb learns of the close as soon as it matters (a volatile read of the peer's mapped control file).
     *
     * @return the peer's state.
     */
    public PeerState peerState()
    {
        final PeerState state = peer.state();
        if (PeerState.ALIVE == state && peer.controlFile().isClosedAcquire())
        {
            return PeerState.CLOSED;
        }
        return state;
    }

    /**
     * @return the completion queue of this queue pair.
     */
    public CompletionQueue completionQueue()
    {
        return completionQueue;
    }

    /**
     * @return the largest message {@link #send} accepts: an eighth of the peer's inbox capacity.
     */
    public int maxMessageLengthBytes()
    {
        return maxMessageLength;
    }

    /**
     * Attaches a peer's region so verbs can target it. Cold: maps and checks the region file on first use.
     *
     * @param handle the region's handle, as the peer gave it.
     * @return the region, for this queue pair's verbs.
     * @throws IllegalArgumentException if the handle names another node.
     * @throws FabricFileException      if the region file is missing, or refused as corrupt or foreign.
     */
    public RemoteRegion attach(final RegionHandle handle)
    {
        checkOpen();
        if (handle.nodeId() != peer.nodeId())
        {
            throw new IllegalArgumentException("handle of node " + handle.nodeId() + " region " + handle.regionId() +
                " given to the queue pair to node " + peer.nodeId());
        }
        return new RemoteRegion(this, peer.region(handle.regionId()), handle.rkey());
    }

    /**
     * Posts a one-sided READ of {@code length} bytes at {@code remoteOffset} of the region into {@code destination}.
     *
     * @param wrId              work request id, returned in the completion.
     * @param destination       local buffer.
     * @param destinationOffset first byte written locally.
     * @param length            bytes to read.
     * @param remote            the region, attached to this queue pair.
     * @param remoteOffset      first byte read remotely.
     * @return {@link #OK}, or {@link #QUEUE_FULL} and nothing posted.
     * @throws IndexOutOfBoundsException if the local range is outside {@code destination}.
     */
    public int postRead(final long wrId, final MutableDirectBuffer destination, final int destinationOffset,
        final int length, final RemoteRegion remote, final long remoteOffset)
    {
        checkOpen();
        if (completionQueue.isFull())
        {
            return QUEUE_FULL;
        }
        final int status = executeRead(destination, destinationOffset, length, remote, remoteOffset);
        complete(wrId, Verb.READ, status, length);
        return OK;
    }

    /**
     * Posts a one-sided WRITE of {@code length} bytes of {@code source} at {@code remoteOffset} of the region.
     *
     * @param wrId         work request id, returned in the completion.
     * @param source       local buffer.
     * @param sourceOffset first byte read locally.
     * @param length       bytes to write.
     * @param remote       the region, attached to this queue pair.
     * @param remoteOffset first byte written remotely.
     * @return {@link #OK}, or {@link #QUEUE_FULL} and nothing posted.
     * @throws IndexOutOfBoundsException if the local range is outside {@code source}.
     */
    public int postWrite(final long wrId, final DirectBuffer source, final int sourceOffset, final int length,
        final RemoteRegion remote, final long remoteOffset)
    {
        checkOpen();
        if (completionQueue.isFull())
        {
            return QUEUE_FULL;
        }
        final int status = executeWrite(source, sourceOffset, length, remote, remoteOffset);
        complete(wrId, Verb.WRITE, status, length);
        return OK;
    }

    /**
     * Posts a one-sided compare-and-swap of the 8-byte word at {@code remoteOffset}; the completion's result is the
     * value the word held before (equal to {@code expected} if the swap happened).
     *
     * @param wrId         work request id.
     * @param remote       the region.
     * @param remoteOffset of the word, a multiple of 8.
     * @param expected     value to compare with.
     * @param desired      value to store if equal.
     * @return {@link #OK} or {@link #QUEUE_FULL}.
     */
    public int postCompareAndSwap(final long wrId, final RemoteRegion remote, final long remoteOffset,
        final long expected, final long desired)
    {
        checkOpen();
        if (completionQueue.isFull())
        {
            return QUEUE_FULL;
        }
        final int status = executeAtomic(Verb.COMPARE_AND_SWAP, remote, remoteOffset, expected, desired);
        complete(wrId, Verb.COMPARE_AND_SWAP, status, Long.BYTES);
        return OK;
    }

    /**
     * Posts a one-sided fetch-and-add on the 8-byte word at {@code remoteOffset}; the completion's result is the
     * value before the add.
     *
     * @param wrId         work request id.
     * @param remote       the region.
     * @param remoteOffset of the word, a multiple of 8.
     * @param delta        to add.
     * @return {@link #OK} or {@link #QUEUE_FULL}.
     */
    public int postFetchAndAdd(final long wrId, final RemoteRegion remote, final long remoteOffset, final long delta)
    {
        checkOpen();
        if (completionQueue.isFull())
        {
            return QUEUE_FULL;
        }
        final int status = executeAtomic(Verb.FETCH_AND_ADD, remote, remoteOffset, delta, 0);
        complete(wrId, Verb.FETCH_AND_ADD, status, Long.BYTES);
        return OK;
    }

    /**
     * Blocking READ: runs the request and waits for its completion time (the link model's, if any); does not use the
     * completion queue.
     *
     * @param destination       local buffer.
     * @param destinationOffset first byte written locally.
     * @param length            bytes to read.
     * @param remote            the region.
     * @param remoteOffset      first byte read remotely.
     * @throws VerbException if the request completes with an error.
     */
    public void read(final MutableDirectBuffer destination, final int destinationOffset, final int length,
        final RemoteRegion remote, final long remoteOffset)
    {
        checkOpen();
        final int status = executeRead(destination, destinationOffset, length, remote, remoteOffset);
        awaitCompletion(status, Verb.READ, remote, remoteOffset, length);
    }

    /**
     * Blocking WRITE: runs the request and waits for its completion time; does not use the completion queue.
     *
     * @param source       local buffer.
     * @param sourceOffset first byte read locally.
     * @param length       bytes to write.
     * @param remote       the region.
     * @param remoteOffset first byte written remotely.
     * @throws VerbException if the request completes with an error.
     */
    public void write(final DirectBuffer source, final int sourceOffset, final int length, final RemoteRegion remote,
        final long remoteOffset)
    {
        checkOpen();
        final int status = executeWrite(source, sourceOffset, length, remote, remoteOffset);
        awaitCompletion(status, Verb.WRITE, remote, remoteOffset, length);
    }

    /**
     * Blocking compare-and-swap.
     *
     * @param remote       the region.
     * @param remoteOffset of the word, a multiple of 8.
     * @param expected     value to compare with.
     * @param desired      value to store if equal.
     * @return the value the word held before; equal to {@code expected} if the swap happened.
     * @throws VerbException if the request completes with an error.
     */
    public long compareAndSwap(final RemoteRegion remote, final long remoteOffset, final long expected,
        final long desired)
    {
        checkOpen();
        final int status = executeAtomic(Verb.COMPARE_AND_SWAP, remote, remoteOffset, expected, desired);
        awaitCompletion(status, Verb.COMPARE_AND_SWAP, remote, remoteOffset, Long.BYTES);
        return result;
    }

    /**
     * Blocking fetch-and-add.
     *
     * @param remote       the region.
     * @param remoteOffset of the word, a multiple of 8.
     * @param delta        to add.
     * @return the value before the add.
     * @throws VerbException if the request completes with an error.
     */
    public long fetchAndAdd(final RemoteRegion remote, final long remoteOffset, final long delta)
    {
        checkOpen();
        final int status = executeAtomic(Verb.FETCH_AND_ADD, remote, remoteOffset, delta, 0);
        awaitCompletion(status, Verb.FETCH_AND_ADD, remote, remoteOffset, Long.BYTES);
        return result;
    }

    /**
     * SENDs a message to the peer through this queue pair's lane; the peer receives it with {@link Node#receive},
     * tagged with this node's id. A full lane is back-pressure, never a silent drop.
     *
     * @param buffer holding the message.
     * @param offset of its first byte.
     * @param length in bytes, at most {@link #maxMessageLengthBytes()}.
     * @return {@link #OK}, {@link #BACK_PRESSURED} (lane full, nothing sent) or {@link #PEER_DEAD}.
     * @throws IllegalArgumentException if the message is longer than the maximum.
     * @throws java.io.UncheckedIOException if the first SEND cannot create the lane's file.
     */
    public int send(final DirectBuffer buffer, final int offset, final int length)
    {
        checkOpen();
        if (length > maxMessageLength || length < 0)
        {
            throw messageLengthException(length);
        }
        if (!peer.isAlive())
        {
            node.countError(Verb.SEND);
            return PEER_DEAD;
        }
        OneToOneRingBuffer lane = this.lane;
        if (null == lane && null == (lane = openLane()))
        {
            return BACK_PRESSURED;
        }
        if (!lane.write(localNodeId, buffer, offset, length))
        {
            return BACK_PRESSURED;
        }
        // Single writer (this queue pair's thread): plain stores; a counter publishes nothing else.
        sendOps.getAndAddPlain(1);
        sendBytes.getAndAddPlain(length);
        return OK;
    }

    /**
     * Cold, the first SEND: creates the lane's file if an earlier attempt has not, and announces it in the peer's
     * inbox; the lane is used only once announced, so that the peer reads every message this queue pair sends.
     *
     * @return the lane, or null if the peer's inbox had no room for the announcement (back-pressure: the next SEND
     * tries again).
     */
    private OneToOneRingBuffer openLane()
    {
        LaneFile file = laneFile;
        if (null == file)
        {
            file = node.openLane(peer);
            laneOpener = Thread.currentThread();
            // Encoded once, before the file is published to a closing thread, which sends the same body.
            LaneAnnouncementDescriptor.encode(announcement, localNodeId, file.laneId());
            laneFile = file;
        }
        if (!announce(LANE_OPENED_MSG_TYPE_ID))
        {
            return null;
        }
        laneAnnounced = true;
        lane = new OneToOneRingBuffer(file.ring());
        return lane;
    }

    private boolean announce(final int msgTypeId)
    {
        return peerInbox.write(msgTypeId, announcement, 0, ANNOUNCEMENT_LENGTH);
    }

    /**
     * Cold, at close: marks the lane file closed, after this queue pair's last message, and announces the end in the
     * peer's inbox if there is room (without waiting: the peer also finds the mark itself, at its next look at its
     * lanes). The peer then drains the lane and deletes the file. If the lane was never announced, or the peer is gone
     * for good (closed, or its process gone), no one will: the file is deleted here.
     * <p>
     * Closed from another thread than the sending one (as {@link Node#close()} does), a SEND racing with the close may
     * land after the mark and be lost, as with any queue pair destroyed while in use; the mapping is then left to the
     * garbage collector, since that SEND may still be writing. Closed by the thread that opened the lane, which is the
     * only one that sends, the mapping is released at once.
     */
    private void closeLane(final LaneFile file)
    {
        file.markClosedRelease();
        if (laneAnnounced && !node.isGoneForGood(peer.nodeId()))
        {
            announce(LANE_CLOSED_MSG_TYPE_ID);
        }
        else
        {
            SharedFiles.deleteIfExists(file.file());
        }
        if (Thread.currentThread() == laneOpener)
        {
            file.unmap();
        }
    }

    /**
     * Closes the queue pair: later posts throw. Its counters' totals are kept in the node's totals. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            final LaneFile file = laneFile;
            if (null != file)
            {
                closeLane(file);
            }
            node.onQueuePairClosed(this, opsCounters, bytesCounters);
        }
    }

    /**
     * @return true once closed, by {@link #close()} or by the node's close.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Plays the NIC for a READ: checks it, moves the data, counts it. Sets {@link #result}.
     */
    private int executeRead(final MutableDirectBuffer destination, final int destinationOffset, final int length,
        final RemoteRegion remote, final long remoteOffset)
    {
        // Checked here whatever agrona.disable.bounds.checks says: a bad local range is always an exception.
        destination.boundsCheck(destinationOffset, length);
        checkAttached(remote);
        // READ is allowed on a dead peer's region: the seed's NIC serves a crashed host's memory.
        final int status = blameClosedPeer(remote.check(AccessFlags.REMOTE_READ, remoteOffset, length, false));
        if (status == CompletionStatus.SUCCESS)
        {
            remote.file().data().getBytes((int)remoteOffset, destination, destinationOffset, length);
            count(Verb.READ, length);
            result = length;
        }
        else
        {
            failed(Verb.READ);
        }
        return status;
    }

    /**
     * A closing node marks itself closed before it deregisters its regions ({@link Node#close()}), so a check that
     * failed on a region of a peer that has closed failed because the peer is gone: {@code PEER_DEAD} says so, as for
     * a dead peer, where the region's own error would blame the request. Only after a failed check: cold.
     */
    private int blameClosedPeer(final int status)
    {
        if (CompletionStatus.SUCCESS != status && peer.controlFile().isClosedAcquire())
        {
            return CompletionStatus.PEER_DEAD;
        }
        return status;
    }

    private int executeWrite(final DirectBuffer source, final int sourceOffset, final int length,
        final RemoteRegion remote, final long remoteOffset)
    {
        source.boundsCheck(sourceOffset, length);
        checkAttached(remote);
        int status = blameClosedPeer(remote.check(AccessFlags.REMOTE_WRITE, remoteOffset, length, false));
        if (status == CompletionStatus.SUCCESS && !peer.isAlive())
        {
            status = CompletionStatus.PEER_DEAD;
        }
        if (status == CompletionStatus.SUCCESS)
        {
            remote.file().data().putBytes((int)remoteOffset, source, sourceOffset, length);
            count(Verb.WRITE, length);
            result = length;
        }
        else
        {
            failed(Verb.WRITE);
        }
        return status;
    }

    private int executeAtomic(final Verb verb, final RemoteRegion remote, final long remoteOffset,
        final long operand, final long desired)
    {
        checkAttached(remote);
        int status = blameClosedPeer(remote.check(AccessFlags.REMOTE_ATOMIC, remoteOffset, Long.BYTES, true));
        if (status == CompletionStatus.SUCCESS && !peer.isAlive())
        {
            status = CompletionStatus.PEER_DEAD;
        }
        if (status == CompletionStatus.SUCCESS)
        {
            final int index = (int)remoteOffset;
            // Both are full-fence atomics (lock xadd / lock cmpxchg on x86). As ibv's atomic CAS, the result is the
            // value found, whether or not the swap happened.
            result = verb == Verb.FETCH_AND_ADD ?
                remote.file().data().getAndAddLong(index, operand) :
                remote.file().data().compareAndExchangeLong(index, operand, desired);
            count(verb, Long.BYTES);
        }
        else
        {
            failed(verb);
        }
        return status;
    }

    private void failed(final Verb verb)
    {
        result = 0;
        node.countError(verb);
    }

    private void count(final Verb verb, final int bytes)
    {
        // Single writer (this queue pair's thread): plain stores; a counter publishes nothing else.
        opsCounters[verb.ordinal()].getAndAddPlain(1);
        bytesCounters[verb.ordinal()].getAndAddPlain(bytes);
    }

    private void complete(final long wrId, final Verb verb, final int status, final int bytes)
    {
        completionQueue.add(wrId, verb, status, result, linkModelEnabled ? completionTimeNs(bytes) : 0);
    }

    /**
     * The link model's completion time: transfers are serialised on the link, each completion comes a round trip
     * after its transfer ends, and never before the previous completion of this queue pair.
     */
    private long completionTimeNs(final int bytes)
    {
        final long nowNs = System.nanoTime();
        final long startNs = linkFreeAtNs - nowNs > 0 ? linkFreeAtNs : nowNs;
        linkFreeAtNs = startNs + linkModel.transferTimeNs(bytes);
        long readyNs = linkFreeAtNs + 2 * linkModel.latencyNs();
        if (lastReadyAtNs - readyNs > 0)
        {
            readyNs = lastReadyAtNs;
        }
        lastReadyAtNs = readyNs;
        return readyNs == 0 ? 1 : readyNs;
    }

    private void awaitCompletion(
        final int status, final Verb verb, final RemoteRegion remote, final long remoteOffset, final int length)
    {
        if (linkModelEnabled)
        {
            final long readyNs = completionTimeNs(length);
            while (readyNs - System.nanoTime() > 0)
            {
                Thread.onSpinWait();
            }
        }
        if (status != CompletionStatus.SUCCESS)
        {
            throw verbException(status, verb, remote, remoteOffset, length);
        }
    }

    private VerbException verbException(
        final int status, final Verb verb, final RemoteRegion remote, final long remoteOffset, final int length)
    {
        final String why;
        if (status != CompletionStatus.PEER_DEAD)
        {
            why = remote.describeFailure(verb, remoteOffset, length);
        }
        else if (peer.isAlive())
        {
            // blameClosedPeer: the peer closed before this node's conductor judged it
            why = "node " + peer.nodeId() + " has closed (its control file says so) and deregistered its regions";
        }
        else
        {
            why = "node " + peer.nodeId() + " is " + peer.state() + " (" + peer.reason() + ")";
        }
        return new VerbException(status, verb + " of " + length + " bytes at offset " + remoteOffset +
            " of node " + remote.nodeId() + " region " + remote.regionId() + " failed with " +
            CompletionStatus.name(status) + ": " + why);
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw closedException();
        }
    }

    private void checkAttached(final RemoteRegion remote)
    {
        if (remote.queuePair() != this)
        {
            throw new IllegalArgumentException(remote + " is attached to another queue pair (to node " +
                remote.queuePair().peerNodeId() + "); attach it to this one");
        }
    }

    private IllegalStateException closedException()
    {
        return new IllegalStateException("queue pair " + localNodeId + "->" + peer.nodeId() + " is closed");
    }

    private IllegalArgumentException messageLengthException(final int length)
    {
        return new IllegalArgumentException("message of " + length + " bytes is outside 0.." +
            peer.maxMessageLength() + ", the maximum for node " + peer.nodeId() + " (an eighth of its inbox)");
    }

    @Override
    public String toString()
    {
        return "QueuePair{" + localNodeId + "->" + peer.nodeId() + (closed ? ", closed" : "") + '}';
    }
}
