package io.farline.transport;

import io.farline.transport.internal.CheckedRingReader;
import io.farline.transport.internal.SharedFiles;
import io.farline.transport.lane.LaneFile;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static io.farline.transport.lane.LaneAnnouncementDescriptor.ANNOUNCEMENT_LENGTH;
import static io.farline.transport.lane.LaneAnnouncementDescriptor.LANE_CLOSED_MSG_TYPE_ID;
import static io.farline.transport.lane.LaneAnnouncementDescriptor.LANE_OPENED_MSG_TYPE_ID;
import static io.farline.transport.lane.LaneAnnouncementDescriptor.laneId;
import static io.farline.transport.lane.LaneAnnouncementDescriptor.senderNodeId;

/**
 * The lanes a node receives on: one one-to-one ring per queue pair that has SENT to this node (see
 * {@link io.farline.transport.lane.LaneFileDescriptor}), found through the announcements senders put in this node's
 * many-to-one inbox.
 * <p>
 * A lane's life on this side: attached when its opening is read from the inbox; read by every {@link #read}; marked
 * closing when its sender announces the close or marks the lane file closed, or when its sender's process is gone or
 * its node closed; retired (its file deleted and unmapped) at the first read that finds a closing lane empty. A closing
 * lane found empty is drained for good: the sender marks the lane closed, and announces it, after its last message
 * (both release stores), and a process that is gone writes no more. A sender judged dead only because its heartbeat is
 * late keeps its lane: it may be stalled, not gone, and what it still sends is delivered.
 * <p>
 * The inbox and the lanes are written by other processes, so their records are input: each is checked before use
 * ({@link CheckedRingReader}). A corrupt lane is reported to the node's error handler, counted as a RECV error and
 * retired; a corrupt inbox is reported once and read no more (lanes already attached keep working).
 * <p>
 * Threading: {@link #read} is for one thread at a time, as {@link Node#receive} is. {@link #onPeerStateChange()} may
 * come from any thread; {@link #deleteFiles()} from the thread closing the node.
 */
final class InboundLanes implements MessageHandler
{
    /** Announcements taken from the inbox per read: enough for a burst of new queue pairs, bounded for latency. */
    private static final int ANNOUNCEMENTS_PER_READ = 16;
    /** Reads between two looks at the lanes' close marks (one acquire load per lane). */
    private static final int READS_PER_SWEEP = 4096;
    /** Least time between two checks of senders judged dead but not known gone (a syscall or two per lane). */
    private static final long SUSPECT_CHECK_INTERVAL_NS = 100_000_000L;
    private static final InboundLane[] NO_LANES = new InboundLane[0];

    private final Node node;
    private final CheckedRingReader inbox;
    private final int laneCapacity;
    private final MessageHandler delivery;
    private final long attachTimeoutMs;
    private final AtomicInteger peerStateChanges = new AtomicInteger();
    private InboundLane[] lanes = NO_LANES;
    private int nextLane;
    private int readsToSweep = READS_PER_SWEEP;
    private long nextSuspectCheckNs;
    private int peerStateChangesSeen;
    private boolean inboxReported;

    /**
     * @param node            the receiving node.
     * @param inbox           its inbox ring (capacity plus trailer), where lanes are announced.
     * @param delivery        where the lanes' checked messages go, the sender's node id as message type id.
     * @param attachTimeoutMs how long to wait for an announced lane file's publication.
     */
    InboundLanes(final Node node, final AtomicBuffer inbox, final MessageHandler delivery, final long attachTimeoutMs)
    {
        this.node = node;
        this.inbox = new CheckedRingReader(inbox, ANNOUNCEMENT_LENGTH, CheckedRingReader.ANY_TYPE_ID, true,
            "inbox of node " + node.nodeId());
        this.laneCapacity = inbox.capacity() - RingBufferDescriptor.TRAILER_LENGTH;
        this.delivery = delivery;
        this.attachTimeoutMs = attachTimeoutMs;
    }

    /**
     * Takes pending announcements, then reads each lane in turn, starting one lane further on each call so that
     * no sender is always served last.
     *
     * @param limit most messages to read, each to the delivery handler.
     * @return messages read.
     */
    int read(final int limit)
    {
        inbox.read(this, ANNOUNCEMENTS_PER_READ);
        if (inbox.isCorrupt() && !inboxReported)
        {
            inboxReported = true;
            refuse(new FabricFileException(node.fabric().controlFile(node.nodeId()), inbox.corruption() +
                "; the inbox is read no more, so lanes opened from now on are not seen"));
        }
        if (peerStateChanges.get() != peerStateChangesSeen)
        {
            closeLanesOfFinishedSenders();
        }
        if (--readsToSweep <= 0)
        {
            lookForCloseMarks();
        }
        final InboundLane[] lanes = this.lanes;
        final int count = lanes.length;
        int received = 0;
        if (count > 0)
        {
            boolean retire = false;
            int index = nextLane < count ? nextLane : 0;
            nextLane = index + 1;
            for (int i = 0; i < count && received < limit; i++)
            {
                final InboundLane lane = lanes[index];
                final int read = lane.reader.read(delivery, limit - received);
                received += read;
                if (lane.reader.isCorrupt())
                {
                    refuse(new FabricFileException(
                        lane.file.file(), lane.reader.corruption() + "; the lane is retired"));
                    lane.drained = true;
                    retire = true;
                }
                else if (0 == read && lane.closing)
                {
                    lane.drained = true;
                    retire = true;
                }
                index = index + 1 == count ? 0 : index + 1;
            }
            if (retire)
            {
                retireDrained();
            }
        }
        return received;
    }

    /**
     * Called on every change of a peer's state, on the thread that judged it: the next read looks for lanes whose
     * sender is gone.
     */
    void onPeerStateChange()
    {
        peerStateChanges.incrementAndGet();
    }

    /**
     * Deletes the files of every lane to this node, attached or still announced in the inbox: this node is closing
     * and will read none of them again. Mappings are left to the garbage collector, since a receive may still be
     * running on another thread. Senders keep their own mappings, so a late SEND fails nothing; it is lost with the
     * node, as it would be in the node's inbox.
     */
    void deleteFiles()
    {
        for (final Path file : node.fabric().laneFilesTo(node.nodeId()))
        {
            SharedFiles.deleteIfExists(file);
        }
    }

    /**
     * @return lanes attached and not yet retired; on the receiving thread.
     */
    int laneCount()
    {
        return lanes.length;
    }

    /**
     * Handles one announcement from the inbox (cold: once per lane opened or closed).
     */
    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (length != ANNOUNCEMENT_LENGTH ||
            (LANE_OPENED_MSG_TYPE_ID != msgTypeId && LANE_CLOSED_MSG_TYPE_ID != msgTypeId))
        {
            refuse(new IllegalStateException("node " + node.nodeId() + " ignored an inbox message of type " +
                msgTypeId + " and length " + length + ": not a lane announcement (a foreign or newer writer?)"));
            return;
        }
        final int senderNodeId = senderNodeId(buffer, index);
        final int laneId = laneId(buffer, index);
        if (LANE_OPENED_MSG_TYPE_ID == msgTypeId)
        {
            attach(senderNodeId, laneId);
        }
        else
        {
            for (final InboundLane lane : lanes)
            {
                if (lane.file.senderNodeId() == senderNodeId && lane.file.laneId() == laneId)
                {
                    lane.closing = true;
                }
            }
        }
    }

    private void attach(final int senderNodeId, final int laneId)
    {
        final Path path = node.fabric().laneFile(senderNodeId, laneId, node.nodeId());
        final LaneFile file;
        try
        {
            file = LaneFile.attach(path, senderNodeId, node.nodeId(), laneId, attachTimeoutMs);
        }
        catch (final FabricFileException ex)
        {
            refuse(ex);
            return;
        }
        final int capacity = file.ring().capacity() - RingBufferDescriptor.TRAILER_LENGTH;
        if (capacity != laneCapacity)
        {
            file.unmap();
            refuse(new FabricFileException(path, "ring capacity " + capacity + " is not that of node " +
                node.nodeId() + "'s inbox (" + laneCapacity + "), which a lane to it must have"));
            return;
        }
        final InboundLane lane = new InboundLane(file, new CheckedRingReader(file.ring(), node.maxMessageLengthBytes(),
            senderNodeId, false, file.toString()));
        // A sender gone before this node read its announcement: drain what it wrote, then retire the lane.
        judge(lane);
        final InboundLane[] current = lanes;
        final InboundLane[] grown = new InboundLane[current.length + 1];
        System.arraycopy(current, 0, grown, 0, current.length);
        grown[current.length] = lane;
        lanes = grown;
    }

    private void refuse(final RuntimeException ex)
    {
        node.countError(Verb.RECV);
        node.errorHandler().onError(ex);
    }

    /**
     * After a peer changed state: closes the lanes whose sender closed its lane or is gone for good; a sender judged
     * dead but whose process lives on (a late heartbeat) keeps its lane, which is checked again from time to time.
     */
    private void closeLanesOfFinishedSenders()
    {
        peerStateChangesSeen = peerStateChanges.get();
        for (final InboundLane lane : lanes)
        {
            if (!lane.closing)
            {
                judge(lane);
            }
        }
    }

    /**
     * Every few thousand reads: closes the lanes whose sender marked them closed (its close announcement found no
     * room in the inbox), and, at most every {@link #SUSPECT_CHECK_INTERVAL_NS}, those of suspect senders now gone.
     */
    private void lookForCloseMarks()
    {
        readsToSweep = READS_PER_SWEEP;
        boolean clockRead = false;
        boolean checkSuspects = false;
        for (final InboundLane lane : lanes)
        {
            if (lane.closing)
            {
                continue;
            }
            lane.closing = lane.file.isClosedAcquire();
            if (!lane.closing && lane.suspect)
            {
                if (!clockRead)
                {
                    clockRead = true;
                    final long nowNs = System.nanoTime();
                    checkSuspects = nowNs - nextSuspectCheckNs >= 0;
                    if (checkSuspects)
                    {
                        nextSuspectCheckNs = nowNs + SUSPECT_CHECK_INTERVAL_NS;
                    }
                }
                if (checkSuspects)
                {
                    judge(lane);
                }
            }
        }
    }

    /**
     * Judges a lane not yet closing: it closes if its sender marked it closed or is gone for good; a sender this node
     * does not know alive keeps its lane but makes it suspect, checked again from time to time. Only such senders are
     * asked whether they are gone for good (a {@code stat} and a look at their process): a sender known alive is
     * neither, and a verdict that changes raises another peer state change, hence another judgement.
     */
    private void judge(final InboundLane lane)
    {
        final int sender = lane.file.senderNodeId();
        if (lane.file.isClosedAcquire())
        {
            lane.closing = true;
        }
        else if (node.isKnownAlive(sender))
        {
            lane.suspect = false;
        }
        else
        {
            lane.closing = node.isGoneForGood(sender);
            lane.suspect = !lane.closing;
        }
    }

    private void retireDrained()
    {
        final InboundLane[] current = lanes;
        int kept = 0;
        for (final InboundLane lane : current)
        {
            if (!lane.drained)
            {
                kept++;
            }
        }
        final InboundLane[] remaining = new InboundLane[kept];
        int next = 0;
        for (final InboundLane lane : current)
        {
            if (lane.drained)
            {
                // This node was the lane's last reader, and this thread its mapping's only user.
                SharedFiles.deleteIfExists(lane.file.file());
                lane.file.unmap();
            }
            else
            {
                remaining[next++] = lane;
            }
        }
        lanes = remaining;
    }

    /**
     * One attached lane.
     */
    private static final class InboundLane
    {
        final LaneFile file;
        final CheckedRingReader reader;
        boolean closing;
        boolean suspect;
        boolean drained;

        InboundLane(final LaneFile file, final CheckedRingReader reader)
        {
            this.file = file;
            this.reader = reader;
        }
    }
}
