package io.farline.property.transport;

import io.farline.transport.AccessFlags;
import io.farline.transport.lane.LaneFileDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

import static io.farline.transport.control.ControlFileDescriptor.*;
import static io.farline.transport.region.RegionFileDescriptor.*;

/**
 * The model of the corruption property: reads a file's header independently of the transport and says which of
 * the documented attach checks it fails (each a {@link Refusal}, with a pattern its refusal message must match),
 * and whether it is a file a node could have written, which attach must then accept. Files between the two (that
 * pass every documented check but hold values no node configures) may go either way, but if accepted must work.
 */
final class HeaderOracle
{
    /** Counter count range a NodeConfig accepts: files a node could have written. */
    private static final int MIN_COUNTERS = 64;
    private static final int MAX_COUNTERS = 65536;

    /** A documented reason to refuse a file, and the words its message uses. */
    enum Refusal
    {
        CANNOT_MAP("cannot map"),
        TRUNCATED_HEADER("shorter than the header"),
        UNPUBLISHED("not published"),
        BAD_MAGIC("bad magic"),
        OTHER_MAJOR_VERSION("has major version"),
        WRONG_ID("holds (node|lane -?\\d+ from node)"),
        BAD_SECTION_LENGTHS("(inbox|counters values|counters metadata) length -?\\d+ (is not|does not match values)"),
        BAD_ACCESS_FLAGS("access flags"),
        BAD_DATA_LENGTH("data length -?\\d+ is outside"),
        BAD_RING_CAPACITY("ring capacity -?\\d+ is not a power of two"),
        LENGTH_MISMATCH("does not match its header");

        private final Pattern pattern;

        Refusal(final String regex)
        {
            this.pattern = Pattern.compile(regex);
        }

        boolean isNamedBy(final String message)
        {
            return pattern.matcher(message).find();
        }
    }

    /**
     * @param refusals   documented checks the file fails; attach must refuse it naming one of them.
     * @param producible true if a node could have written the file; attach must then accept it.
     * @param header     the header bytes read (fewer if the file is shorter), native byte order.
     * @param fileLength the file's length.
     */
    record Verdict(Set<Refusal> refusals, boolean producible, ByteBuffer header, long fileLength)
    {
        boolean mustRefuse()
        {
            return !refusals.isEmpty();
        }

        int intField(final HeaderField field)
        {
            return header.getInt(field.offset());
        }

        long longField(final HeaderField field)
        {
            return header.getLong(field.offset());
        }
    }

    private HeaderOracle()
    {
    }

    static Verdict judge(final FabricFileKind kind, final Path file, final FileIds ids) throws IOException
    {
        final long fileLength = Files.size(file);
        final ByteBuffer header = kind.readHeader(file);
        final Set<Refusal> refusals = EnumSet.noneOf(Refusal.class);
        if (fileLength > Integer.MAX_VALUE)
        {
            refusals.add(Refusal.CANNOT_MAP);
            return new Verdict(refusals, false, header, fileLength);
        }
        if (fileLength < kind.headerLength())
        {
            refusals.add(Refusal.TRUNCATED_HEADER);
            return new Verdict(refusals, false, header, fileLength);
        }
        final int version = header.getInt(kind.versionField().offset());
        if (0 == version)
        {
            refusals.add(Refusal.UNPUBLISHED);
        }
        else if (((version >> 16) & 0xFF) != 1)
        {
            refusals.add(Refusal.OTHER_MAJOR_VERSION);
        }
        if (header.getLong(kind.magicField().offset()) != kind.magic())
        {
            refusals.add(Refusal.BAD_MAGIC);
        }
        switch (kind)
        {
            case CONTROL:
                return judgeControl(header, fileLength, ids, refusals);
            case REGION:
                return judgeRegion(header, fileLength, ids, refusals);
            case LANE:
                return judgeLane(header, fileLength, ids, refusals);
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    private static Verdict judgeControl(final ByteBuffer header, final long fileLength, final FileIds ids,
        final Set<Refusal> refusals)
    {
        if (header.getInt(CTL_NODE_ID_OFFSET) != ids.nodeId())
        {
            refusals.add(Refusal.WRONG_ID);
        }
        final long inboxLength = header.getInt(CTL_INBOX_LENGTH_OFFSET);
        final long metadataLength = header.getInt(CTL_COUNTERS_METADATA_LENGTH_OFFSET);
        final long valuesLength = header.getInt(CTL_COUNTERS_VALUES_LENGTH_OFFSET);
        final long capacity = inboxLength - RingBufferDescriptor.TRAILER_LENGTH;
        final long counters = valuesLength / CountersReader.COUNTER_LENGTH;
        final boolean lengthsValid = capacity >= CTL_MIN_INBOX_CAPACITY && capacity <= CTL_MAX_INBOX_CAPACITY &&
            Long.bitCount(capacity) == 1 && valuesLength > 0 &&
            valuesLength % CountersReader.COUNTER_LENGTH == 0 &&
            metadataLength == counters * CountersReader.METADATA_LENGTH;
        if (!lengthsValid)
        {
            refusals.add(Refusal.BAD_SECTION_LENGTHS);
        }
        else if (fileLength != CTL_HEADER_LENGTH + inboxLength + metadataLength + valuesLength)
        {
            refusals.add(Refusal.LENGTH_MISMATCH);
        }
        final boolean producible = refusals.isEmpty() && counters >= MIN_COUNTERS && counters <= MAX_COUNTERS;
        return new Verdict(refusals, producible, header, fileLength);
    }

    private static Verdict judgeRegion(final ByteBuffer header, final long fileLength, final FileIds ids,
        final Set<Refusal> refusals)
    {
        if (header.getInt(REGION_NODE_ID_OFFSET) != ids.nodeId() ||
            header.getInt(REGION_REGION_ID_OFFSET) != ids.fileId())
        {
            refusals.add(Refusal.WRONG_ID);
        }
        final int flags = header.getInt(REGION_ACCESS_FLAGS_OFFSET);
        final boolean remoteWriteOrAtomic = (flags & (AccessFlags.REMOTE_WRITE | AccessFlags.REMOTE_ATOMIC)) != 0;
        if ((flags & ~AccessFlags.ALL) != 0 || (remoteWriteOrAtomic && (flags & AccessFlags.LOCAL_WRITE) == 0))
        {
            refusals.add(Refusal.BAD_ACCESS_FLAGS);
        }
        final long dataLength = header.getLong(REGION_DATA_LENGTH_OFFSET);
        if (dataLength <= 0 || dataLength > REGION_MAX_DATA_LENGTH)
        {
            refusals.add(Refusal.BAD_DATA_LENGTH);
        }
        else if (fileLength != REGION_DATA_OFFSET + dataLength)
        {
            refusals.add(Refusal.LENGTH_MISMATCH);
        }
        return new Verdict(refusals, refusals.isEmpty(), header, fileLength);
    }

    /**
     * Any lane that passes the checks is one a node could have written: a lane takes its receiver's inbox capacity,
     * and a node may configure any capacity the check allows.
     */
    private static Verdict judgeLane(final ByteBuffer header, final long fileLength, final FileIds ids,
        final Set<Refusal> refusals)
    {
        if (header.getInt(LaneFileDescriptor.LANE_SENDER_NODE_ID_OFFSET) != ids.nodeId() ||
            header.getInt(LaneFileDescriptor.LANE_RECEIVER_NODE_ID_OFFSET) != ids.receiverNodeId() ||
            header.getInt(LaneFileDescriptor.LANE_LANE_ID_OFFSET) != ids.fileId())
        {
            refusals.add(Refusal.WRONG_ID);
        }
        final int capacity = header.getInt(LaneFileDescriptor.LANE_RING_CAPACITY_OFFSET);
        if (capacity < LaneFileDescriptor.LANE_MIN_RING_CAPACITY ||
            capacity > LaneFileDescriptor.LANE_MAX_RING_CAPACITY || Integer.bitCount(capacity) != 1)
        {
            refusals.add(Refusal.BAD_RING_CAPACITY);
        }
        else if (fileLength != LaneFileDescriptor.LANE_RING_OFFSET + capacity +
            RingBufferDescriptor.TRAILER_LENGTH)
        {
            refusals.add(Refusal.LENGTH_MISMATCH);
        }
        return new Verdict(refusals, refusals.isEmpty(), header, fileLength);
    }
}
