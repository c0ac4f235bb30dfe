package io.farline.property.transport;

import io.farline.transport.AccessFlags;
import io.farline.transport.Fabric;
import io.farline.transport.control.ControlFile;
import io.farline.transport.control.ControlFileDescriptor;
import io.farline.transport.lane.LaneFile;
import io.farline.transport.lane.LaneFileDescriptor;
import io.farline.transport.region.RegionFile;
import io.farline.transport.region.RegionFileDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The kinds of file a fabric directory holds, as the corruption property sees them: how to create a valid one,
 * where it lives, which header fields it has (the magic first, then the layout version), and how long its header
 * says it is.
 */
enum FabricFileKind
{
    /** A node control file, {@code node-<id>.ctl}. */
    CONTROL(ControlFileDescriptor.CTL_MAGIC, ControlFileDescriptor.CTL_HEADER_LENGTH, HeaderField.CONTROL),
    /** A registered region file, {@code node-<id>.region-<id>.mr}. */
    REGION(RegionFileDescriptor.REGION_MAGIC, RegionFileDescriptor.REGION_DATA_OFFSET, HeaderField.REGION),
    /** A send lane file, {@code node-<sender>.lane-<id>.to-<receiver>.ring}. */
    LANE(LaneFileDescriptor.LANE_MAGIC, LaneFileDescriptor.LANE_RING_OFFSET, HeaderField.LANE);

    /** Inbox capacity of the valid control files created, the smallest a node may configure. */
    static final int INBOX_CAPACITY_BYTES = 4096;
    /** Counters of the valid control files created, the fewest a node may configure. */
    static final int COUNTER_COUNT = 64;
    /** Data length of the valid region files created: not a multiple of the page. */
    static final int DATA_LENGTH_BYTES = 10_000;
    /** Rkey of the valid region files created. */
    static final long RKEY = 0x0123_4567_89AB_CDEFL;
    /** Ring capacity of the valid lane files created: twice the smallest, so that a smaller one can still be valid. */
    static final int RING_CAPACITY_BYTES = 2 * LaneFileDescriptor.LANE_MIN_RING_CAPACITY;

    private final long magic;
    private final int headerLength;
    private final List<HeaderField> fields;

    FabricFileKind(final long magic, final int headerLength, final List<HeaderField> fields)
    {
        this.magic = magic;
        this.headerLength = headerLength;
        this.fields = fields;
    }

    long magic()
    {
        return magic;
    }

    int headerLength()
    {
        return headerLength;
    }

    List<HeaderField> fields()
    {
        return fields;
    }

    HeaderField magicField()
    {
        return fields.get(0);
    }

    HeaderField versionField()
    {
        return fields.get(1);
    }

    /**
     * @return where a node looks for the file with these ids.
     */
    Path path(final Fabric fabric, final FileIds ids)
    {
        switch (this)
        {
            case CONTROL:
                return fabric.controlFile(ids.nodeId());
            case REGION:
                return fabric.regionFile(ids.nodeId(), ids.fileId());
            case LANE:
                return fabric.laneFile(ids.nodeId(), ids.fileId(), ids.receiverNodeId());
            default:
                throw new IllegalStateException(name());
        }
    }

    /**
     * Creates a valid, published file, as a node would.
     */
    void createValid(final Path file, final FileIds ids) throws IOException
    {
        switch (this)
        {
            case CONTROL:
                ControlFile.create(file, ids.nodeId(), INBOX_CAPACITY_BYTES, COUNTER_COUNT,
                    System.currentTimeMillis());
                break;
            case REGION:
                RegionFile.create(file, ids.nodeId(), ids.fileId(), AccessFlags.ALL, RKEY, DATA_LENGTH_BYTES);
                break;
            case LANE:
                LaneFile.create(file, ids.nodeId(), ids.receiverNodeId(), ids.fileId(), RING_CAPACITY_BYTES);
                break;
            default:
                throw new IllegalStateException(name());
        }
    }

    /**
     * @return the file length the header's section lengths imply, or -1 if the header is cut short.
     */
    long impliedLength(final ByteBuffer header)
    {
        if (header.limit() < headerLength)
        {
            return -1;
        }
        switch (this)
        {
            case CONTROL:
                return ControlFileDescriptor.fileLength(
                    header.getInt(ControlFileDescriptor.CTL_INBOX_LENGTH_OFFSET),
                    header.getInt(ControlFileDescriptor.CTL_COUNTERS_METADATA_LENGTH_OFFSET),
                    header.getInt(ControlFileDescriptor.CTL_COUNTERS_VALUES_LENGTH_OFFSET));
            case REGION:
                return RegionFileDescriptor.fileLength(header.getLong(RegionFileDescriptor.REGION_DATA_LENGTH_OFFSET));
            case LANE:
                return LaneFileDescriptor.fileLength(header.getInt(LaneFileDescriptor.LANE_RING_CAPACITY_OFFSET));
            default:
                throw new IllegalStateException(name());
        }
    }

    /**
     * @return the first {@code headerLength} bytes of the file (fewer if it is shorter), in native byte order.
     */
    ByteBuffer readHeader(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer header = ByteBuffer.allocate((int)Math.min(channel.size(), headerLength));
            while (header.hasRemaining() && channel.read(header, header.position()) > 0)
            {
                // read until full: the header is small
            }
            header.flip();
            return header.order(ByteOrder.nativeOrder());
        }
    }
}
