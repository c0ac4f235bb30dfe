package io.farline.core.interconnect;

import org.agrona.BitUtil;

/**
 * Layout of an interconnect event: the payload of one record in the interconnect's many-to-one ring buffer (Agrona
 * {@link org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer}, whose record header carries the event type).
 * <p>
 * Native byte order. Written by the thread whose store caused the event (ownership) or which took the miss, read by
 * the interconnect's agent. An ownership event names a bitmap word and the bits a store turned dirty in it; a miss
 * names one unit, and its bits field is zero.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                             Port                              |
 *  +---------------------------------------------------------------+
 *  |                             Index                             |
 *  +---------------------------------------------------------------+
 *  |                             Bits                              |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class InterconnectEventDescriptor
{
    /** Event type: a store turned units from clean to dirty; the index is a bitmap word. */
    public static final int EVENT_OWNERSHIP = 1;
    /** Event type: an access missed a unit that is not present locally; the index is the unit. */
    public static final int EVENT_MISS = 2;

    /** Offset of the port: which tracked memory connected to the interconnect. */
    public static final int EVENT_PORT_OFFSET;
    /** Length of the port. */
    public static final int EVENT_PORT_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the index: a bitmap word (ownership) or a unit (miss). */
    public static final int EVENT_INDEX_OFFSET;
    /** Length of the index. */
    public static final int EVENT_INDEX_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the bits turned dirty (ownership), or zero (miss). */
    public static final int EVENT_BITS_OFFSET;
    /** Length of the bits. */
    public static final int EVENT_BITS_LENGTH = BitUtil.SIZE_OF_LONG;
    /** Length of an event's payload. */
    public static final int EVENT_LENGTH;

    static
    {
        int offset = 0;
        EVENT_PORT_OFFSET = offset;
        offset += EVENT_PORT_LENGTH;
        EVENT_INDEX_OFFSET = offset;
        offset += EVENT_INDEX_LENGTH;
        EVENT_BITS_OFFSET = offset;
        offset += EVENT_BITS_LENGTH;
        EVENT_LENGTH = offset;
    }

    private InterconnectEventDescriptor()
    {
    }
}
