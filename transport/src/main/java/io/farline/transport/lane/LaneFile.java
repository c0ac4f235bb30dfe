package io.farline.transport.lane;

import io.farline.transport.FabricFileException;
import io.farline.transport.JvmFlags;
import io.farline.transport.internal.PublishedLayout;
import io.farline.transport.internal.SharedFiles;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

import static io.farline.transport.lane.LaneFileDescriptor.LANE_LANE_ID_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_LAYOUT_VERSION;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_LAYOUT_VERSION_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_MAGIC;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_MAGIC_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_MAJOR_VERSION;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_RECEIVER_NODE_ID_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_RING_CAPACITY_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_RING_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_SENDER_NODE_ID_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_SENDER_STATE_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_STATE_CLOSED;
import static io.farline.transport.lane.LaneFileDescriptor.checkRingCapacity;
import static io.farline.transport.lane.LaneFileDescriptor.fileLength;
import static io.farline.transport.lane.LaneFileDescriptor.ringLength;

/**
 * A mapped send lane file, created by the sending node or attached by the receiving node. See
 * {@link LaneFileDescriptor}. The header is read and checked once at attach; the ring is handed to an Agrona
 * {@code OneToOneRingBuffer} on each side. Immutable once created; the ring's own protocol makes it safe for one
 * producer thread and one consumer thread.
 */
public final class LaneFile
{
    private static final PublishedLayout LAYOUT = new PublishedLayout("lane file", LANE_MAGIC, LANE_MAGIC_OFFSET,
        LANE_LAYOUT_VERSION_OFFSET, LANE_MAJOR_VERSION, LANE_RING_OFFSET, "a node that died while opening a lane");

    private final Path file;
    private final MappedByteBuffer mapping;
    private final UnsafeBuffer header;
    private final UnsafeBuffer ring;
    private final int senderNodeId;
    private final int receiverNodeId;
    private final int laneId;

    private LaneFile(final Path file, final MappedByteBuffer mapping, final int senderNodeId,
        final int receiverNodeId, final int laneId, final int ringCapacity)
    {
        this.file = file;
        this.mapping = mapping;
        this.header = new UnsafeBuffer(mapping, 0, LANE_RING_OFFSET);
        this.ring = new UnsafeBuffer(mapping, LANE_RING_OFFSET, ringLength(ringCapacity));
        this.senderNodeId = senderNodeId;
        this.receiverNodeId = receiverNodeId;
        this.laneId = laneId;
    }

    /**
     * Creates and publishes a lane file with an empty ring; the layout version is stored last with release
     * semantics.
     *
     * @param file              to create; must not exist.
     * @param senderNodeId      the sending node, which calls this.
     * @param receiverNodeId    the receiving node.
     * @param laneId            unique among the sender's lanes.
     * @param ringCapacityBytes see {@link LaneFileDescriptor#checkRingCapacity(int)}.
     * @return the mapped lane.
     * @throws IllegalArgumentException if the capacity is not valid.
     * @throws IOException              if the file exists or cannot be created.
     */
    public static LaneFile create(final Path file, final int senderNodeId, final int receiverNodeId,
        final int laneId, final int ringCapacityBytes) throws IOException
    {
        JvmFlags.ensurePresent();
        final String problem = checkRingCapacity(ringCapacityBytes);
        if (null != problem)
        {
            throw new IllegalArgumentException("lane " + problem);
        }
        final MappedByteBuffer mapping = SharedFiles.createAndMap(file, fileLength(ringCapacityBytes));
        final LaneFile lane = new LaneFile(file, mapping, senderNodeId, receiverNodeId, laneId, ringCapacityBytes);
        final UnsafeBuffer header = lane.header;
        header.putLong(LANE_MAGIC_OFFSET, LANE_MAGIC);
        header.putInt(LANE_SENDER_NODE_ID_OFFSET, senderNodeId);
        header.putInt(LANE_RECEIVER_NODE_ID_OFFSET, receiverNodeId);
        header.putInt(LANE_LANE_ID_OFFSET, laneId);
        header.putInt(LANE_RING_CAPACITY_OFFSET, ringCapacityBytes);
        // Publishes the header above (the ring is zero-filled, which is an empty ring); attachers acquire it.
        header.putIntRelease(LANE_LAYOUT_VERSION_OFFSET, LANE_LAYOUT_VERSION);
        return lane;
    }

    /**
     * Attaches to a lane file, checking it.
     *
     * @param file                   to attach.
     * @param expectedSenderNodeId   sender the file name and the announcement promise.
     * @param expectedReceiverNodeId receiver the file name promises: the attaching node.
     * @param expectedLaneId         lane id the file name and the announcement promise.
     * @param timeoutMs              how long to wait for an unpublished file to be published.
     * @return the mapped, checked lane.
     * @throws FabricFileException if it is missing, unpublished, foreign, of another major version, addressed to
     *                             another lane, or of a length that does not match its header.
     */
    public static LaneFile attach(final Path file, final int expectedSenderNodeId, final int expectedReceiverNodeId,
        final int expectedLaneId, final long timeoutMs)
    {
        JvmFlags.ensurePresent();
        final MappedByteBuffer mapping = LAYOUT.map(file, "never opened, or cleaned");
        final long fileLength = mapping.capacity();
        final UnsafeBuffer header = LAYOUT.checkHeader(file, mapping, timeoutMs);
        final int senderNodeId = header.getInt(LANE_SENDER_NODE_ID_OFFSET);
        final int receiverNodeId = header.getInt(LANE_RECEIVER_NODE_ID_OFFSET);
        final int laneId = header.getInt(LANE_LANE_ID_OFFSET);
        if (senderNodeId != expectedSenderNodeId || receiverNodeId != expectedReceiverNodeId ||
            laneId != expectedLaneId)
        {
            throw new FabricFileException(file, "holds lane " + laneId + " from node " + senderNodeId + " to node " +
                receiverNodeId + ", expected lane " + expectedLaneId + " from node " + expectedSenderNodeId +
                " to node " + expectedReceiverNodeId);
        }
        final int ringCapacity = header.getInt(LANE_RING_CAPACITY_OFFSET);
        final String capacityProblem = checkRingCapacity(ringCapacity);
        if (null != capacityProblem)
        {
            throw new FabricFileException(file, capacityProblem);
        }
        PublishedLayout.checkLength(file, fileLength, fileLength(ringCapacity), "for ring capacity " + ringCapacity);
        return new LaneFile(file, mapping, senderNodeId, receiverNodeId, laneId, ringCapacity);
    }

    /**
     * @return the path of the file.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return the sending node's id.
     */
    public int senderNodeId()
    {
        return senderNodeId;
    }

    /**
     * @return the receiving node's id.
     */
    public int receiverNodeId()
    {
        return receiverNodeId;
    }

    /**
     * @return the lane id, unique among the sender's lanes.
     */
    public int laneId()
    {
        return laneId;
    }

    /**
     * @return the ring section (capacity plus trailer), for an Agrona {@code OneToOneRingBuffer}.
     */
    public UnsafeBuffer ring()
    {
        return ring;
    }

    /**
     * Marks the lane closed: the sender writes nothing more. Sender only, after its last message (release: a receiver
     * that acquires the state sees every message before it).
     */
    public void markClosedRelease()
    {
        header.putIntRelease(LANE_SENDER_STATE_OFFSET, LANE_STATE_CLOSED);
    }

    /**
     * Acquire read; pairs with {@link #markClosedRelease()}.
     *
     * @return true once the sender has closed the lane.
     */
    public boolean isClosedAcquire()
    {
        return header.getIntAcquire(LANE_SENDER_STATE_OFFSET) == LANE_STATE_CLOSED;
    }

    /**
     * Unmaps the file now rather than at the next garbage collection. The caller must be the mapping's only user and
     * must not touch {@link #ring()} or this object again: an access after the unmap crashes the JVM.
     */
    public void unmap()
    {
        IoUtil.unmap(mapping);
    }

    @Override
    public String toString()
    {
        return "lane " + laneId + " from node " + senderNodeId + " to node " + receiverNodeId;
    }
}
