package io.farline.transport;

import io.farline.transport.lane.LaneFile;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Checks each record a lane's ring hands over before the application sees it, because another process wrote it:
 * the record's type id must be the lane's sender, checked at attach, and its body must lie within the ring and be
 * no longer than the largest message. Agrona's reader trusts a record's length; a corrupt one would otherwise reach
 * a handler as, say, two gigabytes at the end of a one-megabyte mapping, and with bounds checks off a copy of it
 * would read past the mapping.
 * <p>
 * After the first bad record the guard delivers nothing more: the lane is corrupt and its reader retires it. One per
 * lane, used by the receiving thread only; three compares per message.
 */
final class LaneGuard implements MessageHandler
{
    private final MessageHandler delivery;
    private final int senderNodeId;
    private final int ringCapacity;
    private final int maxMessageLength;
    private final LaneFile file;
    private int delivered;
    private String corruption;

    /**
     * @param file     the lane, its header checked.
     * @param delivery where checked messages go.
     */
    LaneGuard(final LaneFile file, final MessageHandler delivery)
    {
        this.file = file;
        this.delivery = delivery;
        this.senderNodeId = file.senderNodeId();
        this.ringCapacity = file.ring().capacity() - RingBufferDescriptor.TRAILER_LENGTH;
        this.maxMessageLength = new OneToOneRingBuffer(file.ring()).maxMsgLength();
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (null != corruption)
        {
            return;
        }
        if (msgTypeId != senderNodeId || length < 0 || length > maxMessageLength || index + length > ringCapacity)
        {
            corruption = "corrupt record in " + file + ": type id " + msgTypeId + " (the sender is node " +
                senderNodeId + "), body of " + length + " bytes at ring offset " + index + " (at most " +
                maxMessageLength + " bytes, within a ring of " + ringCapacity + ")";
            return;
        }
        delivered++;
        delivery.onMessage(msgTypeId, buffer, index, length);
    }

    /**
     * @return messages delivered since the last call; the ring's own count includes records refused.
     */
    int takeDelivered()
    {
        final int taken = delivered;
        delivered = 0;
        return taken;
    }

    /**
     * @return true once a record failed a check.
     */
    boolean isCorrupt()
    {
        return null != corruption;
    }

    /**
     * @return what was wrong with the first bad record, or null.
     */
    String corruption()
    {
        return corruption;
    }
}
