package io.farline.property.transport;

import io.farline.transport.AccessFlags;
import io.farline.transport.control.ControlFile;
import io.farline.transport.control.ControlFileDescriptor;
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
 * The two kinds of file a fabric directory holds, as the corruption property sees them: how to create a valid one,
 * which header fields they have, and how long their header says they are.
 */
enum FabricFileKind
{
    /** A node control file, {@code node-<id>.ctl}. */
    CONTROL(ControlFileDescriptor.CTL_HEADER_LENGTH, HeaderField.CONTROL),
    /** A registered region file, {@code node-<id>.region-<id>.mr}. */
    REGION(RegionFileDescriptor.REGION_DATA_OFFSET, HeaderField.REGION);

    /** Inbox capacity of the valid control files created, the smallest a node may configure. */
    static final int INBOX_CAPACITY_BYTES = 4096;
    /** Counters of the valid control files created, the fewest a node may configure. */
    static final int COUNTER_COUNT = 64;
    /** Data length of the valid region files created: not a multiple of the page. */
    static final int DATA_LENGTH_BYTES = 10_000;
    /** Rkey of the valid region files created. */
    static final long RKEY = 0x0123_4567_89AB_CDEFL;

    private final int headerLength;
    private final List<HeaderField> fields;

    FabricFileKind(final int headerLength, final List<HeaderField> fields)
    {
        this.headerLength = headerLength;
        this.fields = fields;
    }

    int headerLength()
    {
        return headerLength;
    }

    List<HeaderField> fields()
    {
        return fields;
    }

    HeaderField versionField()
    {
        return fields.get(1);
    }

    /**
     * Creates a valid, published file, as a node would.
     */
    void createValid(final Path file, final int nodeId, final int regionId) throws IOException
    {
        switch (this)
        {
            case CONTROL:
                ControlFile.create(file, nodeId, INBOX_CAPACITY_BYTES, COUNTER_COUNT, System.currentTimeMillis());
                break;
            case REGION:
                RegionFile.create(file, nodeId, regionId, AccessFlags.ALL, RKEY, DATA_LENGTH_BYTES);
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
