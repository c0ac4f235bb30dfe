package io.farline.transport.region;

import io.farline.transport.AccessFlags;
import io.farline.transport.FabricFileException;
import io.farline.transport.JvmFlags;
import io.farline.transport.internal.PublishedLayout;
import io.farline.transport.internal.SharedFiles;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

import static io.farline.transport.region.RegionFileDescriptor.*;

/**
 * A mapped registered-region file, created by its owner or attached by a peer. See {@link RegionFileDescriptor}.
 * <p>
 * The registration fields (node id, region id, access flags, rkey, data length) are written once before
 * publication; they are read and checked once at attach and kept in final fields, so a verb's checks cost no
 * loads beyond the region state. Thread-safe.
 */
public final class RegionFile
{
    private static final PublishedLayout LAYOUT = new PublishedLayout("region file", REGION_MAGIC,
        REGION_MAGIC_OFFSET, REGION_LAYOUT_VERSION_OFFSET, REGION_MAJOR_VERSION, REGION_DATA_OFFSET,
        "a node that died while registering");

    private final Path file;
    private final UnsafeBuffer header;
    private final UnsafeBuffer data;
    private final int nodeId;
    private final int regionId;
    private final int accessFlags;
    private final long rkey;
    private final int dataLength;

    private RegionFile(final Path file, final MappedByteBuffer mapping, final int nodeId, final int regionId,
        final int accessFlags, final long rkey, final int dataLength)
    {
        this.file = file;
        this.header = new UnsafeBuffer(mapping, 0, REGION_DATA_OFFSET);
        this.data = new UnsafeBuffer(mapping, REGION_DATA_OFFSET, dataLength);
        this.nodeId = nodeId;
        this.regionId = regionId;
        this.accessFlags = accessFlags;
        this.rkey = rkey;
        this.dataLength = dataLength;
    }

    /**
     * Creates and publishes a region file; the layout version is stored last with release semantics.
     *
     * @param file            to create; must not exist.
     * @param nodeId          owning node.
     * @param regionId        id within the node.
     * @param accessFlags     what peers may do, see {@link AccessFlags}.
     * @param rkey            remote key peers must present.
     * @param dataLengthBytes length of the data, see {@link RegionFileDescriptor#checkDataLength(long)}.
     * @return the mapped region, registered.
     * @throws IOException if the file exists or cannot be created.
     */
    public static RegionFile create(final Path file, final int nodeId, final int regionId, final int accessFlags,
        final long rkey, final long dataLengthBytes) throws IOException
    {
        JvmFlags.ensurePresent();
        final String problem = checkDataLength(dataLengthBytes);
        if (null != problem)
        {
            throw new IllegalArgumentException(problem);
        }
        final MappedByteBuffer mapping = SharedFiles.createAndMap(file, fileLength(dataLengthBytes));
        final RegionFile region =
            new RegionFile(file, mapping, nodeId, regionId, accessFlags, rkey, (int)dataLengthBytes);
        final UnsafeBuffer header = region.header;
        header.putLong(REGION_MAGIC_OFFSET, REGION_MAGIC);
        header.putInt(REGION_NODE_ID_OFFSET, nodeId);
        header.putInt(REGION_REGION_ID_OFFSET, regionId);
        header.putInt(REGION_ACCESS_FLAGS_OFFSET, accessFlags);
        header.putLong(REGION_RKEY_OFFSET, rkey);
        header.putLong(REGION_DATA_LENGTH_OFFSET, dataLengthBytes);
        header.putInt(REGION_STATE_OFFSET, REGION_STATE_REGISTERED);
        // Publishes the registration above; attachers acquire the version before reading it.
        header.putIntRelease(REGION_LAYOUT_VERSION_OFFSET, REGION_LAYOUT_VERSION);
        return region;
    }

    /**
     * Attaches to a region file, checking it.
     *
     * @param file             to attach.
     * @param expectedNodeId   node id the file name promises.
     * @param expectedRegionId region id the file name promises.
     * @param timeoutMs        how long to wait for an unpublished file to be published.
     * @return the mapped, checked region.
     * @throws FabricFileException if it is missing, unpublished, foreign, of another major version or truncated.
     */
    public static RegionFile attach(
        final Path file, final int expectedNodeId, final int expectedRegionId, final long timeoutMs)
    {
        JvmFlags.ensurePresent();
        final MappedByteBuffer mapping = LAYOUT.map(file, "never registered, deregistered, or cleaned");
        final long fileLength = mapping.capacity();
        final UnsafeBuffer header = LAYOUT.checkHeader(file, mapping, timeoutMs);
        final int nodeId = header.getInt(REGION_NODE_ID_OFFSET);
        final int regionId = header.getInt(REGION_REGION_ID_OFFSET);
        if (nodeId != expectedNodeId || regionId != expectedRegionId)
        {
            throw new FabricFileException(file, "holds node " + nodeId + " region " + regionId +
                ", its name says node " + expectedNodeId + " region " + expectedRegionId);
        }
        final int accessFlags = header.getInt(REGION_ACCESS_FLAGS_OFFSET);
        final String flagsProblem = AccessFlags.check(accessFlags);
        if (null != flagsProblem)
        {
            throw new FabricFileException(file, flagsProblem);
        }
        final long dataLength = header.getLong(REGION_DATA_LENGTH_OFFSET);
        final String lengthProblem = checkDataLength(dataLength);
        if (null != lengthProblem)
        {
            throw new FabricFileException(file, lengthProblem);
        }
        PublishedLayout.checkLength(file, fileLength, fileLength(dataLength), "for data length " + dataLength);
        return new RegionFile(
            file, mapping, nodeId, regionId, accessFlags, header.getLong(REGION_RKEY_OFFSET), (int)dataLength);
    }

    /**
     * @return the path of the file.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return the owning node's id.
     */
    public int nodeId()
    {
        return nodeId;
    }

    /**
     * @return the region id within the node.
     */
    public int regionId()
    {
        return regionId;
    }

    /**
     * @return the access flags of the registration.
     */
    public int accessFlags()
    {
        return accessFlags;
    }

    /**
     * @return the remote key of the registration.
     */
    public long rkey()
    {
        return rkey;
    }

    /**
     * @return length of the data in bytes.
     */
    public int dataLength()
    {
        return dataLength;
    }

    /**
     * @return the data, offset 0 being the region's first byte.
     */
    public UnsafeBuffer data()
    {
        return data;
    }

    /**
     * Acquire read; pairs with the owner's release in {@link #markDeregisteredRelease()}.
     *
     * @return true while the owner has not deregistered the region.
     */
    public boolean isRegisteredAcquire()
    {
        return header.getIntAcquire(REGION_STATE_OFFSET) == REGION_STATE_REGISTERED;
    }

    /**
     * Marks the region deregistered: every later verb on it fails with a remote access error. Owner only.
     */
    public void markDeregisteredRelease()
    {
        // Release: a verb that acquires DEREGISTERED will not touch the data.
        header.putIntRelease(REGION_STATE_OFFSET, REGION_STATE_DEREGISTERED);
    }
}
