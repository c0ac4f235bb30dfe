package io.farline.transport;

import io.farline.transport.internal.SharedFiles;
import io.farline.transport.lane.LaneFile;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

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
 * A lane's life on this side: attached when its opening is read from the inbox; polled by every {@link #read};
 * marked closing when its sender announces the close, or when its sender is no longer alive; retired (its file
 * deleted; the mapping goes with the GC) at the first poll that finds a closing lane empty. A closing lane found
 * empty is drained for good: a close announcement is read after every message the sender wrote before it (the
 * inbox commit is a release store), and a dead sender writes no more.
 * <p>
 * A lane's ring is written by another process, so its records are input: each is checked before the application
 * sees it (its sender is the lane's, its length within the largest message and the ring; see {@link LaneGuard}). A
 * lane that fails a check is reported to the node's error handler, counted as a RECV error, and retired without
 * delivering anything more from it.
 * <p>
 * Threading: {@link #read} is for one thread at a time, as {@link Node#receive} is. {@link #onPeerStateChange()} may
 * come from any thread; {@link #deleteFiles()} from the thread closing the node.
 */
final class InboundLanes implements MessageHandler
{
    /** Announcements taken from the inbox per read: enough for a burst of new queue pairs, bounded for latency. */
    private static final int ANNOUNCEMENTS_PER_READ = 16;
    private static final InboundLane[] NO_LANES = new InboundLane[0];

    private final Node node;
    private final ManyToOneRingBuffer inbox;
    private final MessageHandler delivery;
    private final long attachTimeoutMs;
    private final AtomicInteger peerStateChanges = new AtomicInteger();
    private InboundLane[] lanes = NO_LANES;
    private int nextLane;
    private int peerStateChangesSeen;
    private boolean retirePending;

    /**
     * @param node            the receiving node.
     * @param inbox           its inbox, where lanes are announced.
     * @param delivery        where the lanes' checked messages go, the sender's node id as message type id.
     * @param attachTimeoutMs how long to wait for an announced lane file's publication.
     */
    InboundLanes(final Node node, final ManyToOneRingBuffer inbox, final MessageHandler delivery,
        final long attachTimeoutMs)
    {
        this.node = node;
        this.inbox = inbox;
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
        if (peerStateChanges.get() != peerStateChangesSeen)
        {
            closeLanesOfGoneSenders();
        }
        final InboundLane[] lanes = this.lanes;
        final int count = lanes.length;
        int received = 0;
        if (count > 0)
        {
            int index = nextLane < count ? nextLane : 0;
            nextLane = index + 1;
            for (int i = 0; i < count && received < limit; i++)
            {
                final InboundLane lane = lanes[index];
                final LaneGuard guard = lane.guard;
                final int read = lane.ring.read(guard, limit - received);
                received += guard.takeDelivered();
                if (guard.isCorrupt())
                {
                    refuse(new FabricFileException(lane.file.file(), guard.corruption() + "; the lane is retired"));
                    lane.drained = true;
                    retirePending = true;
                }
                else if (0 == read && lane.closing)
                {
                    lane.drained = true;
                    retirePending = true;
                }
                index = index + 1 == count ? 0 : index + 1;
            }
            if (retirePending)
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
     * and will read none of them again. Their senders keep their mappings, so a late SEND fails nothing; it is lost
     * with the node, as it would be in the node's inbox.
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
        if (length < ANNOUNCEMENT_LENGTH ||
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
        final LaneFile file;
        try
        {
            file = LaneFile.attach(node.fabric().laneFile(senderNodeId, laneId, node.nodeId()), senderNodeId,
                node.nodeId(), laneId, attachTimeoutMs);
        }
        catch (final FabricFileException ex)
        {
            refuse(ex);
            return;
        }
        final InboundLane[] current = lanes;
        final InboundLane[] grown = new InboundLane[current.length + 1];
        System.arraycopy(current, 0, grown, 0, current.length);
        final InboundLane lane = new InboundLane(file, new LaneGuard(file, delivery));
        // A sender that died before this node read its announcement: drain what it wrote, then retire the lane.
        lane.closing = !node.isAliveIncarnation(senderNodeId);
        grown[current.length] = lane;
        lanes = grown;
    }

    private void refuse(final RuntimeException ex)
    {
        node.countError(Verb.RECV);
        node.errorHandler().onError(ex);
    }

    private void closeLanesOfGoneSenders()
    {
        peerStateChangesSeen = peerStateChanges.get();
        for (final InboundLane lane : lanes)
        {
            if (!lane.closing && !node.isAliveIncarnation(lane.file.senderNodeId()))
            {
                lane.closing = true;
            }
        }
    }

    private void retireDrained()
    {
        retirePending = false;
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
                // This node was the lane's last reader; the sender left the file for it to delete.
                SharedFiles.deleteIfExists(lane.file.file());
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
        final OneToOneRingBuffer ring;
        final LaneGuard guard;
        boolean closing;
        boolean drained;

        InboundLane(final LaneFile file, final LaneGuard guard)
        {
            this.file = file;
            this.ring = new OneToOneRingBuffer(file.ring());
            this.guard = guard;
        }
    }
}
