package io.farline.transport.control;

import io.farline.transport.FabricFileException;
import io.farline.transport.JvmFlags;
import io.farline.transport.internal.PublishedLayout;
import io.farline.transport.internal.SharedFiles;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.farline.transport.control.ControlFileDescriptor.*;

/**
 * A mapped node control file, created by its owner or attached by a peer or an outside tool. See
 * {@link ControlFileDescriptor} for the layout.
 * <p>
 * Attaching checks everything read from the file once (magic, major version, node id, section lengths, file
 * length) and refuses the file with a {@link FabricFileException} naming what was wrong; after that the accessors
 * trust those values. Accessors are thread-safe in the sense each documents (a plain read of a field written once
 * before publication, an acquire read of the heartbeat and state).
 */
public final class ControlFile
{
    private static final PublishedLayout LAYOUT = new PublishedLayout("control file", CTL_MAGIC, CTL_MAGIC_OFFSET,
        CTL_LAYOUT_VERSION_OFFSET, CTL_MAJOR_VERSION, CTL_HEADER_LENGTH, "a node that died while starting");

    private final Path file;
    private final UnsafeBuffer header;
    private final UnsafeBuffer inbox;
    private final UnsafeBuffer countersMetadata;
    private final UnsafeBuffer countersValues;

    private ControlFile(final Path file, final MappedByteBuffer mapping, final int inboxLength,
        final int countersMetadataLength, final int countersValuesLength)
    {
        this.file = file;
        this.header = new UnsafeBuffer(mapping, 0, CTL_HEADER_LENGTH);
        this.inbox = new UnsafeBuffer(mapping, CTL_HEADER_LENGTH, inboxLength);
        final int metadataOffset = countersMetadataOffset(inboxLength);
        this.countersMetadata = new UnsafeBuffer(mapping, metadataOffset, countersMetadataLength);
        this.countersValues = new UnsafeBuffer(mapping, metadataOffset + countersMetadataLength, countersValuesLength);
    }

    /**
     * Creates and publishes a control file. All header fields are written while the file is unpublished; the layout
     * version is stored last with release semantics, so an attacher that acquires a non-zero version sees them.
     * <p>
     * The file is written under a temporary name and then hard-linked to its real name, which fails if the name is
     * taken: the name is claimed atomically, and a peer scanning the directory never sees a control file that is
     * still empty or half written.
     *
     * @param file               to create; must not exist.
     * @param nodeId             of the owning node.
     * @param inboxCapacityBytes inbox ring capacity, a power of two.
     * @param counterCount       counters the node can allocate.
     * @param startTimeMs        node start time, epoch ms; also the first heartbeat.
     * @return the mapped file, published.
     * @throws java.nio.file.FileAlreadyExistsException if the file exists.
     * @throws IOException                              if it cannot be created.
     */
    public static ControlFile create(final Path file, final int nodeId, final int inboxCapacityBytes,
        final int counterCount, final long startTimeMs) throws IOException
    {
        JvmFlags.ensurePresent();
        final int inboxLength = inboxLength(inboxCapacityBytes);
        final int metadataLength = countersMetadataLength(counterCount);
        final int valuesLength = countersValuesLength(counterCount);
        final String problem = checkLengths(inboxLength, metadataLength, valuesLength);
        if (null != problem)
        {
            throw new IllegalArgumentException(problem);
        }
        if (Files.exists(file))
        {
            throw new FileAlreadyExistsException(file.toString()); // cheap early answer; the link below decides
        }
        final Path unpublished = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-" +
            System.nanoTime() + ".tmp");
        final MappedByteBuffer mapping;
        try
        {
            mapping = SharedFiles.createAndMap(unpublished, fileLength(inboxLength, metadataLength, valuesLength));
        }
        catch (final IOException | RuntimeException ex)
        {
            SharedFiles.deleteIfExists(unpublished);
            throw ex;
        }
        final ControlFile controlFile = new ControlFile(file, mapping, inboxLength, metadataLength, valuesLength);
        final UnsafeBuffer header = controlFile.header;
        header.putLong(CTL_MAGIC_OFFSET, CTL_MAGIC);
        header.putInt(CTL_NODE_ID_OFFSET, nodeId);
        header.putLong(CTL_PID_OFFSET, ProcessHandle.current().pid());
        header.putLong(CTL_START_TIME_MS_OFFSET, startTimeMs);
        header.putInt(CTL_INBOX_LENGTH_OFFSET, inboxLength);
        header.putInt(CTL_COUNTERS_METADATA_LENGTH_OFFSET, metadataLength);
        header.putInt(CTL_COUNTERS_VALUES_LENGTH_OFFSET, valuesLength);
        header.putLong(CTL_HEARTBEAT_TIME_MS_OFFSET, startTimeMs);
        header.putInt(CTL_NODE_STATE_OFFSET, CTL_STATE_ACTIVE);
        // Publishes every field above; attachers acquire the version before reading them.
        header.putIntRelease(CTL_LAYOUT_VERSION_OFFSET, CTL_LAYOUT_VERSION);
        try
        {
            SharedFiles.publishByLink(unpublished, file);
        }
        finally
        {
            SharedFiles.deleteIfExists(unpublished);
        }
        return controlFile;
    }

    /**
     * Attaches to an existing control file, checking it.
     *
     * @param file           to attach.
     * @param expectedNodeId node id the file name promises.
     * @param timeoutMs      how long to wait for the layout version to be published by a node still starting.
     * @return the mapped, checked file.
     * @throws FabricFileException if the file is missing, unpublished after the timeout, or wrong in any way.
     */
    public static ControlFile attach(final Path file, final int expectedNodeId, final long timeoutMs)
    {
        JvmFlags.ensurePresent();
        final MappedByteBuffer mapping = LAYOUT.map(file, "node " + expectedNodeId +
            " never started, closed cleanly, or was cleaned");
        final long fileLength = mapping.capacity();
        final UnsafeBuffer header = LAYOUT.checkHeader(file, mapping, timeoutMs);
        final int nodeId = header.getInt(CTL_NODE_ID_OFFSET);
        if (nodeId != expectedNodeId)
        {
            throw new FabricFileException(file, "holds node id " + nodeId + ", its name says " + expectedNodeId);
        }
        final int inboxLength = header.getInt(CTL_INBOX_LENGTH_OFFSET);
        final int metadataLength = header.getInt(CTL_COUNTERS_METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(CTL_COUNTERS_VALUES_LENGTH_OFFSET);
        final String problem = checkLengths(inboxLength, metadataLength, valuesLength);
        if (null != problem)
        {
            throw new FabricFileException(file, problem);
        }
        PublishedLayout.checkLength(file, fileLength, fileLength(inboxLength, metadataLength, valuesLength), "");
        return new ControlFile(file, mapping, inboxLength, metadataLength, valuesLength);
    }

    /**
     * @return the path of the file.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return the node id in the header.
     */
    public int nodeId()
    {
        return header.getInt(CTL_NODE_ID_OFFSET);
    }

    /**
     * @return the process id of the owner.
     */
    public long pid()
    {
        return header.getLong(CTL_PID_OFFSET);
    }

    /**
     * @return the node's start time, epoch ms.
     */
    public long startTimeMs()
    {
        return header.getLong(CTL_START_TIME_MS_OFFSET);
    }

    /**
     * @return the layout version the owner published.
     */
    public int layoutVersion()
    {
        return header.getIntAcquire(CTL_LAYOUT_VERSION_OFFSET);
    }

    /**
     * Acquire read; pairs with the owner's release store in {@link #heartbeatRelease(long)}.
     *
     * @return the last heartbeat, epoch ms.
     */
    public long heartbeatTimeMsAcquire()
    {
        return header.getLongAcquire(CTL_HEARTBEAT_TIME_MS_OFFSET);
    }

    /**
     * Publishes a heartbeat; owner's conductor thread only.
     *
     * @param nowMs epoch ms.
     */
    public void heartbeatRelease(final long nowMs)
    {
        // Release: a peer that acquires this heartbeat sees the owner's earlier writes (e.g. a closed state).
        header.putLongRelease(CTL_HEARTBEAT_TIME_MS_OFFSET, nowMs);
    }

    /**
     * @return {@link ControlFileDescriptor#CTL_STATE_ACTIVE} or {@link ControlFileDescriptor#CTL_STATE_CLOSED}.
     */
    public int nodeStateAcquire()
    {
        return header.getIntAcquire(CTL_NODE_STATE_OFFSET);
    }

    /**
     * @return true once the owner has marked the node closed ({@link #markClosedRelease()}), loaded with acquire
     * semantics.
     */
    public boolean isClosedAcquire()
    {
        return CTL_STATE_CLOSED == nodeStateAcquire();
    }

    /**
     * Marks the node closed; owner only, at close.
     */
    public void markClosedRelease()
    {
        // Release: a peer acquiring CLOSED knows the owner has stopped writing its regions.
        header.putIntRelease(CTL_NODE_STATE_OFFSET, CTL_STATE_CLOSED);
    }

    /**
     * @return the inbox section, for an Agrona many-to-one ring buffer.
     */
    public UnsafeBuffer inboxBuffer()
    {
        return inbox;
    }

    /**
     * @return the counters metadata section.
     */
    public UnsafeBuffer countersMetadataBuffer()
    {
        return countersMetadata;
    }

    /**
     * @return the counters values section.
     */
    public UnsafeBuffer countersValuesBuffer()
    {
        return countersValues;
    }

    /**
     * A reader of the node's counters, for tools that show them with their labels, once each record's metadata has
     * been checked the way Agrona's reader uses it. Agrona trusts a record's label length and allocates an array of
     * that size, so a corrupt one (negative, or as large as the file says) would fail the reader with a
     * {@link NegativeArraySizeException} or an {@link OutOfMemoryError}. Each record up to the first unused one (where
     * Agrona stops too) must have a state Agrona writes ({@link CountersReader#RECORD_ALLOCATED},
     * {@link CountersReader#RECORD_RECLAIMED}) and a label length in 0..{@link CountersReader#MAX_LABEL_LENGTH}. Keys
     * have a fixed length, and the number of records is bounded by the section lengths checked at attach.
     * <p>
     * A live owner may allocate counters after the check; its {@code CountersManager} writes the label before it
     * publishes the record's state, and only a writer outside Farline, which could change the file at any time,
     * could make a record bad after it was checked. Cold; any thread.
     *
     * @return a reader over the counters sections, decoding labels as US-ASCII (as nodes write them).
     * @throws FabricFileException naming the record and the value found if a record is corrupt.
     */
    public CountersReader countersReader()
    {
        final int records = countersMetadata.capacity() / CountersReader.METADATA_LENGTH;
        for (int id = 0; id < records; id++)
        {
            final int offset = CountersReader.metaDataOffset(id);
            final int state = countersMetadata.getIntVolatile(offset);
            if (CountersReader.RECORD_UNUSED == state)
            {
                break;
            }
            if (CountersReader.RECORD_ALLOCATED != state && CountersReader.RECORD_RECLAIMED != state)
            {
                throw new FabricFileException(file, "counter " + id + " has state " + state + " (expected " +
                    CountersReader.RECORD_ALLOCATED + ", " + CountersReader.RECORD_RECLAIMED + " or " +
                    CountersReader.RECORD_UNUSED + "): corrupt counters metadata");
            }
            final int labelLength = countersMetadata.getInt(offset + CountersReader.LABEL_OFFSET);
            if (labelLength < 0 || labelLength > CountersReader.MAX_LABEL_LENGTH)
            {
                throw new FabricFileException(file, "counter " + id + " has label length " + labelLength +
                    ", outside 0.." + CountersReader.MAX_LABEL_LENGTH + ": corrupt counters metadata");
            }
        }
        return new CountersReader(countersMetadata, countersValues, StandardCharsets.US_ASCII);
    }
}
