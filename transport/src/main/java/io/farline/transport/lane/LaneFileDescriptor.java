package io.farline.transport.lane;

import io.farline.transport.control.ControlFileDescriptor;
import org.agrona.BitUtil;
import org.agrona.SemanticVersion;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import static io.farline.transport.control.ControlFileDescriptor.CTL_MAX_INBOX_CAPACITY;
import static io.farline.transport.control.ControlFileDescriptor.CTL_MIN_INBOX_CAPACITY;

/**
 * Layout of a send lane file: the one-to-one ring through which one queue pair SENDs to its peer, created by the
 * sending node in the fabric directory and read by the receiving node (Aeron gives each publication a log of its
 * own for the same reason: a single producer needs no atomic instruction to claim space, where the many-to-one
 * inbox needs a compare-and-swap per message).
 * <p>
 * Byte order is the platform's native order. The header slot is written once by the sender before the layout
 * version is published with release semantics. The sender state is written once more by the sender, with release
 * semantics after its last message, when it closes the lane; the receiver acquires it. The ring starts on a 128-byte
 * slot of its own; its trailer keeps the producer's and the consumer's positions in slots of their own (Agrona's
 * {@link RingBufferDescriptor}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                             Magic                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Layout Version                         |
 *  +---------------------------------------------------------------+
 *  |                        Sender Node Id                         |
 *  +---------------------------------------------------------------+
 *  |                       Receiver Node Id                        |
 *  +---------------------------------------------------------------+
 *  |                            Lane Id                            |
 *  +---------------------------------------------------------------+
 *  |                         Ring Capacity                         |
 *  +---------------------------------------------------------------+
 *  |                 Padding to the next 128-byte slot            ...
 *  +---------------------------------------------------------------+
 *  |                         Sender State                          |
 *  +---------------------------------------------------------------+
 *  |                 Padding to the next 128-byte slot            ...
 *  +---------------------------------------------------------------+
 *  |            Ring: Agrona one-to-one ring buffer               ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Writers: the sender writes the header and produces into the ring; the receiver consumes from it. The file is
 * named {@code node-<sender>.lane-<lane id>.to-<receiver>.ring} (see {@code Fabric#laneFile}).
 */
public final class LaneFileDescriptor
{
    /** "FARLLANE" read as a little-endian long. */
    public static final long LANE_MAGIC = 0x454E414C4C524146L;
    /** Major version: an attacher refuses a file of a different major version. */
    public static final int LANE_MAJOR_VERSION = 1;
    /** Minor version. */
    public static final int LANE_MINOR_VERSION = 0;
    /** The composed layout version this code writes. */
    public static final int LANE_LAYOUT_VERSION = SemanticVersion.compose(LANE_MAJOR_VERSION, LANE_MINOR_VERSION, 0);

    /** Width of a slot that one writer owns: two cache lines, because of the adjacent-line prefetcher. */
    public static final int LANE_SLOT_ALIGNMENT = 128;
    /** Smallest ring capacity: that of the smallest inbox, since a lane takes its receiver's inbox capacity. */
    public static final int LANE_MIN_RING_CAPACITY = CTL_MIN_INBOX_CAPACITY;
    /** Largest ring capacity: that of the largest inbox. */
    public static final int LANE_MAX_RING_CAPACITY = CTL_MAX_INBOX_CAPACITY;

    /** Offset of the magic number. */
    public static final int LANE_MAGIC_OFFSET;
    /** Length of the magic number. */
    public static final int LANE_MAGIC_LENGTH = BitUtil.SIZE_OF_LONG;
    /** Offset of the layout version, written last with release semantics. */
    public static final int LANE_LAYOUT_VERSION_OFFSET;
    /** Length of the layout version. */
    public static final int LANE_LAYOUT_VERSION_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the sending node's id. */
    public static final int LANE_SENDER_NODE_ID_OFFSET;
    /** Length of the sender node id. */
    public static final int LANE_SENDER_NODE_ID_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the receiving node's id. */
    public static final int LANE_RECEIVER_NODE_ID_OFFSET;
    /** Length of the receiver node id. */
    public static final int LANE_RECEIVER_NODE_ID_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the lane id, unique among the sender's lanes. */
    public static final int LANE_LANE_ID_OFFSET;
    /** Length of the lane id. */
    public static final int LANE_LANE_ID_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the ring capacity in bytes, not counting the ring's trailer. */
    public static final int LANE_RING_CAPACITY_OFFSET;
    /** Length of the ring capacity field. */
    public static final int LANE_RING_CAPACITY_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the sender state ({@link #LANE_STATE_OPEN} or {@link #LANE_STATE_CLOSED}). */
    public static final int LANE_SENDER_STATE_OFFSET;
    /** Length of the sender state. */
    public static final int LANE_SENDER_STATE_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the ring: the header length. */
    public static final int LANE_RING_OFFSET;

    /** Sender state: the sender may still write to the ring. */
    public static final int LANE_STATE_OPEN = 0;
    /** Sender state: the sender closed the lane after its last message; the receiver drains it and deletes it. */
    public static final int LANE_STATE_CLOSED = 1;

    static
    {
        int offset = 0;
        LANE_MAGIC_OFFSET = offset;
        offset += LANE_MAGIC_LENGTH;
        LANE_LAYOUT_VERSION_OFFSET = offset;
        offset += LANE_LAYOUT_VERSION_LENGTH;
        LANE_SENDER_NODE_ID_OFFSET = offset;
        offset += LANE_SENDER_NODE_ID_LENGTH;
        LANE_RECEIVER_NODE_ID_OFFSET = offset;
        offset += LANE_RECEIVER_NODE_ID_LENGTH;
        LANE_LANE_ID_OFFSET = offset;
        offset += LANE_LANE_ID_LENGTH;
        LANE_RING_CAPACITY_OFFSET = offset;
        offset += LANE_RING_CAPACITY_LENGTH;

        offset = BitUtil.align(offset, LANE_SLOT_ALIGNMENT);
        LANE_SENDER_STATE_OFFSET = offset;
        offset += LANE_SENDER_STATE_LENGTH;

        LANE_RING_OFFSET = BitUtil.align(offset, LANE_SLOT_ALIGNMENT);
    }

    private LaneFileDescriptor()
    {
    }

    /**
     * @param ringCapacityBytes the ring's capacity.
     * @return length of the ring section: capacity plus the ring buffer trailer.
     */
    public static int ringLength(final int ringCapacityBytes)
    {
        return ControlFileDescriptor.inboxLength(ringCapacityBytes); // the same ring as the receiver's inbox
    }

    /**
     * @param ringCapacityBytes the ring's capacity.
     * @return length of a lane file with a ring of that capacity.
     */
    public static long fileLength(final int ringCapacityBytes)
    {
        return (long)LANE_RING_OFFSET + ringLength(ringCapacityBytes);
    }

    /**
     * Checks a ring capacity given by a caller or read from a file.
     *
     * @param ringCapacityBytes to check.
     * @return null if valid, else what is wrong.
     */
    public static String checkRingCapacity(final int ringCapacityBytes)
    {
        if (!ControlFileDescriptor.isValidRingCapacity(ringCapacityBytes))
        {
            return "ring capacity " + ringCapacityBytes + " is not a power of two from " + LANE_MIN_RING_CAPACITY +
                " to " + LANE_MAX_RING_CAPACITY;
        }
        return null;
    }
}
