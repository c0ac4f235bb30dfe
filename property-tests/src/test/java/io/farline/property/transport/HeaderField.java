package io.farline.property.transport;

import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.List;

import static io.farline.transport.control.ControlFileDescriptor.*;
import static io.farline.transport.lane.LaneFileDescriptor.*;
import static io.farline.transport.region.RegionFileDescriptor.*;

/**
 * A field of a control, region or lane file header, as the descriptors place it, with values worth trying when
 * corrupting it: zero, all ones, extremes, near-valid sizes (a power of two plus the ring trailer, multiples of
 * a counter record), other files' magic numbers.
 *
 * @param name        as the descriptor names it.
 * @param offset      in the file.
 * @param width       4 or 8 bytes, native byte order.
 * @param interesting values to favour.
 */
record HeaderField(String name, int offset, int width, List<Long> interesting)
{
    private static final List<Long> COMMON = List.of(0L, 1L, -1L, 2L, 7L, 0xFFL, 4096L,
        (long)Integer.MAX_VALUE, (long)Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE);

    static final HeaderField CTL_MAGIC_FIELD = field("magic", CTL_MAGIC_OFFSET, 8, CTL_MAGIC, REGION_MAGIC);
    static final HeaderField CTL_VERSION_FIELD = field("layout version", CTL_LAYOUT_VERSION_OFFSET, 4,
        CTL_LAYOUT_VERSION, CTL_LAYOUT_VERSION + 1L, 2L << 16, 0xFF01_0000L);
    static final HeaderField CTL_NODE_ID_FIELD = field("node id", CTL_NODE_ID_OFFSET, 4, 1L, 3L, 65535L, 65536L);
    static final HeaderField CTL_PID_FIELD = field("pid", CTL_PID_OFFSET, 8, ProcessHandle.current().pid(), 1L);
    static final HeaderField CTL_START_TIME_FIELD = field("start time", CTL_START_TIME_MS_OFFSET, 8,
        System.currentTimeMillis());
    static final HeaderField CTL_INBOX_LENGTH_FIELD = field("inbox length", CTL_INBOX_LENGTH_OFFSET, 4,
        sizes(RingBufferDescriptor.TRAILER_LENGTH, 1));
    static final HeaderField CTL_METADATA_LENGTH_FIELD = field("counters metadata length",
        CTL_COUNTERS_METADATA_LENGTH_OFFSET, 4, sizes(0, CountersReader.METADATA_LENGTH));
    static final HeaderField CTL_VALUES_LENGTH_FIELD = field("counters values length",
        CTL_COUNTERS_VALUES_LENGTH_OFFSET, 4, sizes(0, CountersReader.COUNTER_LENGTH));
    static final HeaderField CTL_HEARTBEAT_FIELD = field("heartbeat", CTL_HEARTBEAT_TIME_MS_OFFSET, 8,
        System.currentTimeMillis());
    static final HeaderField CTL_NODE_STATE_FIELD = field("node state", CTL_NODE_STATE_OFFSET, 4,
        (long)CTL_STATE_ACTIVE, (long)CTL_STATE_CLOSED, 3L);

    static final HeaderField REGION_MAGIC_FIELD = field("magic", REGION_MAGIC_OFFSET, 8, REGION_MAGIC, CTL_MAGIC);
    static final HeaderField REGION_VERSION_FIELD = field("layout version", REGION_LAYOUT_VERSION_OFFSET, 4,
        REGION_LAYOUT_VERSION, REGION_LAYOUT_VERSION + 1L, 2L << 16, 0xFF01_0000L);
    static final HeaderField REGION_NODE_ID_FIELD = field("node id", REGION_NODE_ID_OFFSET, 4, 2L, 65535L);
    static final HeaderField REGION_REGION_ID_FIELD = field("region id", REGION_REGION_ID_OFFSET, 4, 1L, 999L);
    static final HeaderField REGION_ACCESS_FLAGS_FIELD = field("access flags", REGION_ACCESS_FLAGS_OFFSET, 4,
        0L, 2L, 3L, 4L, 5L, 8L, 9L, 14L, 15L, 16L, 31L);
    static final HeaderField REGION_RKEY_FIELD = field("rkey", REGION_RKEY_OFFSET, 8, 0L, 0x1234L);
    static final HeaderField REGION_DATA_LENGTH_FIELD = field("data length", REGION_DATA_LENGTH_OFFSET, 8,
        sizes(0, 1));
    static final HeaderField REGION_STATE_FIELD = field("region state", REGION_STATE_OFFSET, 4,
        (long)REGION_STATE_REGISTERED, (long)REGION_STATE_DEREGISTERED, 3L);

    static final HeaderField LANE_MAGIC_FIELD = field("magic", LANE_MAGIC_OFFSET, 8, LANE_MAGIC, CTL_MAGIC,
        REGION_MAGIC);
    static final HeaderField LANE_VERSION_FIELD = field("layout version", LANE_LAYOUT_VERSION_OFFSET, 4,
        LANE_LAYOUT_VERSION, LANE_LAYOUT_VERSION + 1L, 2L << 16, 0xFF01_0000L);
    static final HeaderField LANE_SENDER_NODE_ID_FIELD = field("sender node id", LANE_SENDER_NODE_ID_OFFSET, 4,
        1L, 3L, 65535L, 65536L);
    static final HeaderField LANE_RECEIVER_NODE_ID_FIELD = field("receiver node id", LANE_RECEIVER_NODE_ID_OFFSET,
        4, 1L, 3L, 65535L, 65536L);
    static final HeaderField LANE_LANE_ID_FIELD = field("lane id", LANE_LANE_ID_OFFSET, 4, 1L, 999L, 1000L);
    static final HeaderField LANE_RING_CAPACITY_FIELD = field("ring capacity", LANE_RING_CAPACITY_OFFSET, 4,
        sizes(0, LANE_MIN_RING_CAPACITY));

    static final List<HeaderField> CONTROL = List.of(CTL_MAGIC_FIELD, CTL_VERSION_FIELD, CTL_NODE_ID_FIELD,
        CTL_PID_FIELD, CTL_START_TIME_FIELD, CTL_INBOX_LENGTH_FIELD, CTL_METADATA_LENGTH_FIELD, CTL_VALUES_LENGTH_FIELD,
        CTL_HEARTBEAT_FIELD, CTL_NODE_STATE_FIELD);
    static final List<HeaderField> REGION = List.of(REGION_MAGIC_FIELD, REGION_VERSION_FIELD, REGION_NODE_ID_FIELD,
        REGION_REGION_ID_FIELD, REGION_ACCESS_FLAGS_FIELD, REGION_RKEY_FIELD, REGION_DATA_LENGTH_FIELD,
        REGION_STATE_FIELD);
    static final List<HeaderField> LANE = List.of(LANE_MAGIC_FIELD, LANE_VERSION_FIELD, LANE_SENDER_NODE_ID_FIELD,
        LANE_RECEIVER_NODE_ID_FIELD, LANE_LANE_ID_FIELD, LANE_RING_CAPACITY_FIELD);

    /**
     * @return true if the file's length follows from this field: a section length or a ring capacity.
     */
    boolean isSize()
    {
        return name.endsWith("length") || name.endsWith("capacity");
    }

    @Override
    public String toString()
    {
        return name + "@" + offset;
    }

    private static HeaderField field(final String name, final int offset, final int width, final long... values)
    {
        final List<Long> interesting = new ArrayList<>(COMMON);
        for (final long value : values)
        {
            interesting.add(value);
        }
        return new HeaderField(name, offset, width, List.copyOf(interesting));
    }

    /** Sizes near validity: base plus small powers of two and their neighbours, and multiples of a unit. */
    private static long[] sizes(final int base, final int unit)
    {
        final List<Long> sizes = new ArrayList<>();
        for (final int shift : new int[]{ 0, 1, 2, 3, 4, 12, 13, 20, 30 })
        {
            sizes.add(base + (1L << shift));
            sizes.add(base + (1L << shift) - 1);
        }
        for (final int multiple : new int[]{ 1, 2, 63, 64, 65, 1024 })
        {
            sizes.add((long)unit * multiple);
        }
        sizes.add(base - 1L);
        sizes.add((1L << 30) + 1);
        return sizes.stream().mapToLong(Long::longValue).toArray();
    }
}
