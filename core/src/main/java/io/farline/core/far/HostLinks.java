package io.farline.core.far;

import io.farline.core.pool.Chunk;
import io.farline.transport.CompletionHandler;
import io.farline.transport.CompletionQueue;
import io.farline.transport.CompletionStatus;
import io.farline.transport.Node;
import io.farline.transport.PeerState;
import io.farline.transport.QueuePair;
import io.farline.transport.RemoteRegion;
import io.farline.transport.Verb;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;


/**
 * The far memory's links to its memory hosts: one queue pair per host, all completing on one completion queue, and
 * the bookkeeping of outstanding work requests. Work request ids carry a kind and an argument (a frame for fetches);
 * a failed completion becomes a {@link FarMemoryException} naming the host and the verb, except, when host deaths
 * are tolerated (far memory with parity), a WRITE that failed because its host died: parity covers it, and the
 * caller learns of the death from {@link #refreshDeadHosts()}. Single-threaded.
 */
final class HostLinks implements AutoCloseable
{
    static final int KIND_WRITE_BACK = 1;
    static final int KIND_FETCH_LINE = 2;
    static final int KIND_FETCH_REST = 3;
    static final int KIND_PREFETCH = 4;
    static final int KIND_REMOTE_READ = 5;
    static final int KIND_EVACUATE = 6;
    static final int KIND_PARITY = 7;
    static final int KIND_REBUILD = 8;

    private static final int CQ_CAPACITY = 4096;

    private final Node node;
    private final CompletionQueue completions = new CompletionQueue(CQ_CAPACITY);
    private final Int2ObjectHashMap<Link> links = new Int2ObjectHashMap<>();
    private final long timeoutNs;
    private final CompletionHandler handler = this::onCompletion;
    private final FrameListener frameListener;
    private final boolean tolerateDeadHosts;
    private final IntHashSet deadHosts = new IntHashSet();
    private long outstanding;
    private long awaitedWrId = -1;
    private boolean awaitedDone;
    private String failure;

    /** Told about the work requests of frames: fetches into them and write-backs from them. */
    interface FrameListener
    {
        /** A fetch's READ into the frame completed successfully. */
        void onFetchCompleted(int kind, int frame);

        /** A write-back WRITE from the frame (data or parity) was posted. */
        void onWriteBackPosted(int frame);

        /** A write-back WRITE from the frame completed: {@code confirmed} if its host has the bytes. */
        void onWriteBackCompleted(int frame, boolean confirmed);
    }

    HostLinks(final Node node, final long timeoutMs, final FrameListener frameListener,
        final boolean tolerateDeadHosts)
    {
        this.node = node;
        this.timeoutNs = timeoutMs * 1_000_000L;
        this.frameListener = frameListener;
        this.tolerateDeadHosts = tolerateDeadHosts;
    }

    /**
     * @return whether this node's conductor has declared a linked host dead, asked through its queue pair (no lock:
     * this is on the miss path); false for a host this far memory has no link to.
     */
    boolean isDead(final int nodeId)
    {
        final Link link = links.get(nodeId);
        return null != link && link.isDead();
    }

    /**
     * Looks for hosts declared dead since the last call.
     *
     * @return how many newly dead hosts.
     */
    int refreshDeadHosts()
    {
        int newlyDead = 0;
        for (final Link link : links.values())
        {
            if (link.isDead() && deadHosts.add(link.qp.peerNodeId()))
            {
                newlyDead++;
            }
        }
        return newlyDead;
    }

    /**
     * @return whether {@link #refreshDeadHosts()} found the host dead.
     */
    boolean isKnownDead(final int host)
    {
        return deadHosts.contains(host);
    }

    /**
     * Connects to a chunk's host if not yet connected.
     */
    void connect(final Chunk chunk)
    {
        if (!links.containsKey(chunk.hostNodeId()))
        {
            final QueuePair qp = node.connect(chunk.hostNodeId(), completions);
            links.put(chunk.hostNodeId(), new Link(qp, qp.attach(chunk.dataRegion())));
        }
    }

    static long wrId(final int kind, final int argument)
    {
        return ((long)kind << 32) | (argument & 0xFFFF_FFFFL);
    }

    /**
     * Posts a READ unless the host is dead.
     * <p>
     * The emulated host's memory outlives it as a file (so that recovery can read it); a real host's does not, so
     * far memory does not read a dead host rather than serve what a dead machine would no longer have.
     *
     * @return false, posting nothing, if the host is dead.
     */
    boolean tryPostRead(final long wrId, final MutableDirectBuffer destination, final int offset, final int length,
        final int host, final long remoteOffset)
    {
        final Link link = link(host);
        if (link.isDead())
        {
            return false;
        }
        while (QueuePair.QUEUE_FULL == link.qp.postRead(wrId, destination, offset, length, link.data, remoteOffset))
        {
            pollOnce("READ");
        }
        outstanding++;
        return true;
    }

    /**
     * Posts a READ of a host that must be alive.
     *
     * @throws FarMemoryException if the host is dead.
     */
    void postRead(final long wrId, final MutableDirectBuffer destination, final int offset, final int length,
        final int host, final long remoteOffset)
    {
        if (!tryPostRead(wrId, destination, offset, length, host, remoteOffset))
        {
            throw deadHost("READ for " + describe((int)(wrId >>> 32), (int)wrId), host);
        }
    }

    /**
     * @param what what could not be done, e.g. {@code fetch of page 7}.
     * @param host the dead host.
     * @return the exception of far memory without redundancy that needs a dead host.
     */
    static FarMemoryException deadHost(final String what, final int host)
    {
        return new FarMemoryException(what + " from host " + host + " refused: the host is dead (PEER_DEAD); " +
            "surviving a host's death needs redundancy (FarMemoryConfig.redundancy)");
    }

    void postWrite(final long wrId, final DirectBuffer source, final int offset, final int length, final int host,
        final long remoteOffset)
    {
        final Link link = link(host);
        while (QueuePair.QUEUE_FULL == link.qp.postWrite(wrId, source, offset, length, link.data, remoteOffset))
        {
            pollOnce("WRITE");
        }
        outstanding++;
        if (KIND_WRITE_BACK == (int)(wrId >>> 32))
        {
            frameListener.onWriteBackPosted((int)wrId);
        }
    }

    /**
     * Polls until the work request {@code wrId} (posted on this queue) has completed.
     */
    void await(final long wrId, final String what)
    {
        await(wrId, what, -1, -1);
    }

    /**
     * As {@link #await(long, String)}, naming a page and a host in the message only if it times out (no string is
     * built on the miss path).
     */
    void await(final long wrId, final String what, final int page, final int host)
    {
        awaitedWrId = wrId;
        awaitedDone = false;
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (!awaitedDone)
        {
            if (0 == poll() && System.nanoTime() - deadlineNs > 0)
            {
                throw new FarMemoryException(what + (page >= 0 ? " of page " + page + " from host " + host : "") +
                    ": no completion within " + timeoutNs / 1_000_000 + " ms");
            }
        }
        awaitedWrId = -1;
    }

    /**
     * Polls until no work request is outstanding.
     */
    void awaitAll(final String what)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (outstanding > 0)
        {
            if (0 == poll() && System.nanoTime() - deadlineNs > 0)
            {
                throw new FarMemoryException(what + ": " + outstanding + " requests had no completion within " +
                    timeoutNs / 1_000_000 + " ms");
            }
        }
    }

    /**
     * Delivers ready completions.
     *
     * @return how many.
     * @throws FarMemoryException if one of them failed.
     */
    int poll()
    {
        final int count = completions.poll(handler, 64);
        if (null != failure)
        {
            final String message = failure;
            failure = null;
            throw new FarMemoryException(message);
        }
        return count;
    }

    private void pollOnce(final String what)
    {
        final long deadlineNs = System.nanoTime() + timeoutNs;
        while (0 == poll())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new FarMemoryException(what + ": the completion queue stayed full for " +
                    timeoutNs / 1_000_000 + " ms");
            }
        }
    }

    private void onCompletion(final long wrId, final Verb verb, final int status, final long result)
    {
        outstanding--;
        if (wrId == awaitedWrId)
        {
            awaitedDone = true;
        }
        final int kind = (int)(wrId >>> 32);
        if (KIND_WRITE_BACK == kind)
        {
            frameListener.onWriteBackCompleted((int)wrId, CompletionStatus.SUCCESS == status);
        }
        if (CompletionStatus.SUCCESS != status)
        {
            if (tolerateDeadHosts && CompletionStatus.PEER_DEAD == status && Verb.WRITE == verb)
            {
                return; // the stripe's parity holds what the dead host missed; the rebuild restores it
            }
            if (null == failure)
            {
                failure = verb + " for " + describe(kind, (int)wrId) + " failed: " + CompletionStatus.name(status) +
                    (CompletionStatus.PEER_DEAD == status ?
                    " (the host died; surviving a host's death needs redundancy)" : "");
            }
            return;
        }
        if (KIND_FETCH_LINE == kind || KIND_FETCH_REST == kind || KIND_PREFETCH == kind)
        {
            frameListener.onFetchCompleted(kind, (int)wrId);
        }
    }

    private static String describe(final int kind, final int argument)
    {
        switch (kind)
        {
            case KIND_WRITE_BACK:
                return "a write-back from frame " + argument;
            case KIND_FETCH_LINE:
            case KIND_FETCH_REST:
                return "a fetch into frame " + argument;
            case KIND_PREFETCH:
                return "a prefetch into frame " + argument;
            case KIND_EVACUATE:
                return "the evacuation of page " + argument;
            case KIND_PARITY:
                return "a parity update of stripe row " + argument;
            case KIND_REBUILD:
                return "the rebuild of slot row " + argument;
            default:
                return "a remote read of page " + argument;
        }
    }

    private Link link(final int host)
    {
        final Link link = links.get(host);
        if (null == link)
        {
            throw new IllegalStateException("no link to host " + host);
        }
        return link;
    }

    @Override
    public void close()
    {
        for (final Link link : links.values())
        {
            link.qp.close();
        }
        links.clear();
    }

    private static final class Link
    {
        final QueuePair qp;
        final RemoteRegion data;

        Link(final QueuePair qp, final RemoteRegion data)
        {
            this.qp = qp;
            this.data = data;
        }

        /**
         * Dead to far memory: the transport declared the host dead, or it closed. A host that closed took its memory
         * with it (its regions are deregistered), so its pages are lost as a dead host's are; a clean stop withdraws
         * its chunks first ({@code MemoryHost.withdrawDonation}), and only what its borrowers did not move is lost.
         */
        boolean isDead()
        {
            return qp.peerState() != PeerState.ALIVE;
        }
    }
}
