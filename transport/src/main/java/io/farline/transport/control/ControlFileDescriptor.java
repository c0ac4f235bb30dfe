package io.farline.transport.control;

import org.agrona.BitUtil;
import org.agrona.SemanticVersion;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersReader;

/**
 * Layout of a node control file, the Aeron-CnC-like file each node owns in its fabric directory.
 * <p>
 * Byte order is the platform's native order (little-endian on x86-64 and AArch64); every process of a fabric runs
 * on one machine. Fields are grouped by writer and by when they change (STYLE 14): the header slot is written once
 * by the owner before the layout version is published; the heartbeat is rewritten by the owner's conductor every
 * interval and gets its own 128-byte slot, two cache lines, so the adjacent-line prefetcher does not drag the
 * header's line into contention; the node state changes at most once, at close, and has a slot of its own too.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                             Magic                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Layout Version                         |
 *  +---------------------------------------------------------------+
 *  |                            Node Id                            |
 *  +---------------------------------------------------------------+
 *  |                              Pid                              |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                         Start Time Ms                         |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                         Inbox Length                          |
 *  +---------------------------------------------------------------+
 *  |                   Counters Metadata Length                    |
 *  +---------------------------------------------------------------+
 *  |                    Counters Values Length                     |
 *  +---------------------------------------------------------------+
 *  |                 Padding to the next 128-byte slot            ...
 *  +---------------------------------------------------------------+
 *  |                       Heartbeat Time Ms                       |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Padding to the next 128-byte slot            ...
 *  +---------------------------------------------------------------+
 *  |                          Node State                           |
 *  +---------------------------------------------------------------+
 *  |                 Padding to the next 128-byte slot            ...
 *  +---------------------------------------------------------------+
 *  |            Inbox: Agrona many-to-one ring buffer             ...
 *  +---------------------------------------------------------------+
 *  |               Counters Metadata (Agrona counters)            ...
 *  +---------------------------------------------------------------+
 *  |                Counters Values (Agrona counters)             ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Writers: the owning node writes everything; peers write only into the inbox (as producers of the many-to-one
 * ring buffer). The layout version is written last with release semantics; an attacher acquires it, and a zero
 * means "not yet published".
 */
public final class ControlFileDescriptor
{
    /** "FARLNCTL" read as a little-endian long. */
    public static final long CTL_MAGIC = 0x4C54434E4C524146L;
    /** Major version: an attacher refuses a file of a different major version. */
    public static final int CTL_MAJOR_VERSION = 1;
    /** Minor version: compatible additions. */
    public static final int CTL_MINOR_VERSION = 0;
    /** The composed layout version this code writes. */
    public static final int CTL_LAYOUT_VERSION = SemanticVersion.compose(CTL_MAJOR_VERSION, CTL_MINOR_VERSION, 0);

    /** Width of a slot that one writer owns: two cache lines, because of the adjacent-line prefetcher. */
    public static final int CTL_SLOT_ALIGNMENT = 128;

    /** Offset of the magic number. */
    public static final int CTL_MAGIC_OFFSET;
    /** Length of the magic number. */
    public static final int CTL_MAGIC_LENGTH = BitUtil.SIZE_OF_LONG;
    /** Offset of the layout version, written last with release semantics. */
    public static final int CTL_LAYOUT_VERSION_OFFSET;
    /** Length of the layout version. */
    public static final int CTL_LAYOUT_VERSION_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the node id. */
    public static final int CTL_NODE_ID_OFFSET;
    /** Length of the node id. */
    public static final int CTL_NODE_ID_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the owning process id. */
    public static final int CTL_PID_OFFSET;
    /** Length of the process id. */
    public static final int CTL_PID_LENGTH = BitUtil.SIZE_OF_LONG;
    /** Offset of the node's start time, epoch ms. */
    public static final int CTL_START_TIME_MS_OFFSET;
    /** Length of the start time. */
    public static final int CTL_START_TIME_MS_LENGTH = BitUtil.SIZE_OF_LONG;
    /** Offset of the inbox length in bytes (ring capacity plus trailer). */
    public static final int CTL_INBOX_LENGTH_OFFSET;
    /** Length of the inbox length field. */
    public static final int CTL_INBOX_LENGTH_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the counters metadata length in bytes. */
    public static final int CTL_COUNTERS_METADATA_LENGTH_OFFSET;
    /** Length of the counters metadata length field. */
    public static final int CTL_COUNTERS_METADATA_LENGTH_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the counters values length in bytes. */
    public static final int CTL_COUNTERS_VALUES_LENGTH_OFFSET;
    /** Length of the counters values length field. */
    public static final int CTL_COUNTERS_VALUES_LENGTH_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the heartbeat, epoch ms, written by the owner with release semantics. */
    public static final int CTL_HEARTBEAT_TIME_MS_OFFSET;
    /** Length of the heartbeat. */
    public static final int CTL_HEARTBEAT_TIME_MS_LENGTH = BitUtil.SIZE_OF_LONG;
    /** Offset of the node state ({@link #CTL_STATE_ACTIVE} or {@link #CTL_STATE_CLOSED}). */
    public static final int CTL_NODE_STATE_OFFSET;
    /** Length of the node state. */
    public static final int CTL_NODE_STATE_LENGTH = BitUtil.SIZE_OF_INT;
    /** Length of the header, the start of the inbox. */
    public static final int CTL_HEADER_LENGTH;

    /** Smallest inbox ring capacity a node creates or an attacher accepts. */
    public static final int CTL_MIN_INBOX_CAPACITY = 4096;
    /** Largest inbox ring capacity a node creates or an attacher accepts. */
    public static final int CTL_MAX_INBOX_CAPACITY = 1 << 28;

    /** Node state: running (liveness is then decided by the heartbeat and the process). */
    public static final int CTL_STATE_ACTIVE = 1;
    /** Node state: closed cleanly by its owner. */
    public static final int CTL_STATE_CLOSED = 2;

    static
    {
        int offset = 0;
        CTL_MAGIC_OFFSET = offset;
        offset += CTL_MAGIC_LENGTH;
        CTL_LAYOUT_VERSION_OFFSET = offset;
        offset += CTL_LAYOUT_VERSION_LENGTH;
        CTL_NODE_ID_OFFSET = offset;
        offset += CTL_NODE_ID_LENGTH;
        CTL_PID_OFFSET = offset;
        offset += CTL_PID_LENGTH;
        CTL_START_TIME_MS_OFFSET = offset;
        offset += CTL_START_TIME_MS_LENGTH;
        CTL_INBOX_LENGTH_OFFSET = offset;
        offset += CTL_INBOX_LENGTH_LENGTH;
        CTL_COUNTERS_METADATA_LENGTH_OFFSET = offset;
        offset += CTL_COUNTERS_METADATA_LENGTH_LENGTH;
        CTL_COUNTERS_VALUES_LENGTH_OFFSET = offset;
        offset += CTL_COUNTERS_VALUES_LENGTH_LENGTH;

        offset = BitUtil.align(offset, CTL_SLOT_ALIGNMENT);
        CTL_HEARTBEAT_TIME_MS_OFFSET = offset;
        offset += CTL_HEARTBEAT_TIME_MS_LENGTH;

        offset = BitUtil.align(offset, CTL_SLOT_ALIGNMENT);
        CTL_NODE_STATE_OFFSET = offset;
        offset += CTL_NODE_STATE_LENGTH;

        CTL_HEADER_LENGTH = BitUtil.align(offset, CTL_SLOT_ALIGNMENT);
    }

    private ControlFileDescriptor()
    {
    }

    /**
     * @param inboxCapacityBytes ring capacity of the inbox, a power of two.
     * @return length of the inbox section: capacity plus the ring buffer trailer.
     */
    public static int inboxLength(final int inboxCapacityBytes)
    {
        return inboxCapacityBytes + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * @param capacityBytes a ring capacity: an inbox's, or a lane's (which takes its receiver's inbox capacity).
     * @return true if it is a power of two from {@link #CTL_MIN_INBOX_CAPACITY} to {@link #CTL_MAX_INBOX_CAPACITY}.
     */
    public static boolean isValidRingCapacity(final int capacityBytes)
    {
        return capacityBytes >= CTL_MIN_INBOX_CAPACITY && capacityBytes <= CTL_MAX_INBOX_CAPACITY &&
            BitUtil.isPowerOfTwo(capacityBytes);
    }

    /**
     * @param counterCount number of counters the node can allocate.
     * @return length of the counters metadata section.
     */
    public static int countersMetadataLength(final int counterCount)
    {
        return counterCount * CountersReader.METADATA_LENGTH;
    }

    /**
     * @param counterCount number of counters the node can allocate.
     * @return length of the counters values section.
     */
    public static int countersValuesLength(final int counterCount)
    {
        return counterCount * CountersReader.COUNTER_LENGTH;
    }

    /**
     * @param inboxLength            length of the inbox section.
     * @param countersMetadataLength length of the counters metadata section.
     * @param countersValuesLength   length of the counters values section.
     * @return total length of a control file with these sections.
     */
    public static long fileLength(
        final int inboxLength, final int countersMetadataLength, final int countersValuesLength)
    {
        return (long)CTL_HEADER_LENGTH + inboxLength + countersMetadataLength + countersValuesLength;
    }

    /**
     * @param inboxLength length of the inbox section.
     * @return offset of the counters metadata section.
     */
    public static int countersMetadataOffset(final int inboxLength)
    {
        return CTL_HEADER_LENGTH + inboxLength;
    }

    /**
     * Checks section lengths read from a file or given in configuration.
     *
     * @param inboxLength            length of the inbox section.
     * @param countersMetadataLength length of the counters metadata section.
     * @param countersValuesLength   length of the counters values section.
     * @return null if valid, else what is wrong, with the values.
     */
    public static String checkLengths(
        final int inboxLength, final int countersMetadataLength, final int countersValuesLength)
    {
        if (!isValidRingCapacity(inboxLength - RingBufferDescriptor.TRAILER_LENGTH))
        {
            return "inbox length " + inboxLength + " is not a power of two from " + CTL_MIN_INBOX_CAPACITY + " to " +
                CTL_MAX_INBOX_CAPACITY + " plus the ring trailer (" + RingBufferDescriptor.TRAILER_LENGTH + ")";
        }
        if (countersValuesLength <= 0 || countersValuesLength % CountersReader.COUNTER_LENGTH != 0)
        {
            return "counters values length " + countersValuesLength + " is not a positive multiple of " +
                CountersReader.COUNTER_LENGTH;
        }
        final long expectedMetadata =
            (long)(countersValuesLength / CountersReader.COUNTER_LENGTH) * CountersReader.METADATA_LENGTH;
        if (countersMetadataLength != expectedMetadata)
        {
            return "counters metadata length " + countersMetadataLength + " does not match values length " +
                countersValuesLength + " (expected " + expectedMetadata + ")";
        }
        return null;
    }
}
