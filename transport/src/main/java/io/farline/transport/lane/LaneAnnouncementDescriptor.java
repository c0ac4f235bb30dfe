package io.farline.transport.lane;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Layout of the messages a sender puts in a receiver's many-to-one inbox about its lanes: a lane was opened (the
 * receiver attaches it and polls it from then on) or closed (the receiver drains it, then deletes its file). The
 * message type id says which. The inbox carries nothing else: SENDs travel on lanes. One sender's announcements
 * keep their order in the inbox, so a lane's close never overtakes its opening, and the inbox commit being a
 * release store, a receiver that reads a close sees every message the sender put in the lane before it.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Sender Node Id                         |
 *  +---------------------------------------------------------------+
 *  |                            Lane Id                            |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class LaneAnnouncementDescriptor
{
    /** Message type id: the lane was opened and its file published. */
    public static final int LANE_OPENED_MSG_TYPE_ID = 1;
    /** Message type id: the sender closed the lane; nothing more will be written to it. */
    public static final int LANE_CLOSED_MSG_TYPE_ID = 2;

    /** Offset of the sender node id. */
    public static final int ANNOUNCEMENT_SENDER_NODE_ID_OFFSET = 0;
    /** Length of the sender node id. */
    public static final int ANNOUNCEMENT_SENDER_NODE_ID_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the lane id. */
    public static final int ANNOUNCEMENT_LANE_ID_OFFSET =
        ANNOUNCEMENT_SENDER_NODE_ID_OFFSET + ANNOUNCEMENT_SENDER_NODE_ID_LENGTH;
    /** Length of the lane id. */
    public static final int ANNOUNCEMENT_LANE_ID_LENGTH = BitUtil.SIZE_OF_INT;
    /** Length of an announcement. */
    public static final int ANNOUNCEMENT_LENGTH = ANNOUNCEMENT_LANE_ID_OFFSET + ANNOUNCEMENT_LANE_ID_LENGTH;

    private LaneAnnouncementDescriptor()
    {
    }

    /**
     * Writes an announcement's body.
     *
     * @param buffer       at least {@link #ANNOUNCEMENT_LENGTH} bytes from offset 0.
     * @param senderNodeId the sender.
     * @param laneId       the lane.
     */
    public static void encode(final MutableDirectBuffer buffer, final int senderNodeId, final int laneId)
    {
        buffer.putInt(ANNOUNCEMENT_SENDER_NODE_ID_OFFSET, senderNodeId);
        buffer.putInt(ANNOUNCEMENT_LANE_ID_OFFSET, laneId);
    }

    /**
     * @param buffer holding an announcement.
     * @param offset of its first byte.
     * @return its sender node id.
     */
    public static int senderNodeId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + ANNOUNCEMENT_SENDER_NODE_ID_OFFSET);
    }

    /**
     * @param buffer holding an announcement.
     * @param offset of its first byte.
     * @return its lane id.
     */
    public static int laneId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + ANNOUNCEMENT_LANE_ID_OFFSET);
    }
}
