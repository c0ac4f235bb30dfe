package io.farline.transport.region;

import org.agrona.BitUtil;
import org.agrona.SemanticVersion;

/**
 * Layout of a registered memory region file: a header that plays the part of an RDMA NIC's memory-registration
 * entry, then the region's data, page aligned.
 * <p>
 * Byte order is the platform's native order. The header slot is written once by the owner before the layout
 * version is published with release semantics. The region state is written by the owner at deregistration with
 * release semantics and read with acquire semantics by every peer's one-sided verb, so it sits in its own 128-byte
 * slot (two cache lines, for the adjacent-line prefetcher) away from the data. Data starts on a 4 KiB boundary so
 * that 8-byte atomics at 8-byte-aligned region offsets are naturally aligned in memory.
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
 *  |                           Region Id                           |
 *  +---------------------------------------------------------------+
 *  |                         Access Flags                          |
 *  +---------------------------------------------------------------+
 *  |                             Rkey                              |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                          Data Length                          |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Padding to the next 128-byte slot            ...
 *  +---------------------------------------------------------------+
 *  |                         Region State                          |
 *  +---------------------------------------------------------------+
 *  |                  Padding to the data offset                  ...
 *  +---------------------------------------------------------------+
 *  |                             Data                             ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class RegionFileDescriptor
{
    /** "FARLNREG" read as a little-endian long. */
    public static final long REGION_MAGIC = 0x4745524E4C524146L;
    /** Major version: an attacher refuses a file of a different major version. */
    public static final int REGION_MAJOR_VERSION = 1;
    /** Minor version. */
    public static final int REGION_MINOR_VERSION = 0;
    /** The composed layout version this code writes. */
    public static final int REGION_LAYOUT_VERSION =
        SemanticVersion.compose(REGION_MAJOR_VERSION, REGION_MINOR_VERSION, 0);

    /** Width of a slot that one writer owns: two cache lines. */
    public static final int REGION_SLOT_ALIGNMENT = 128;
    /** Alignment of the data: a 4 KiB page. */
    public static final int REGION_DATA_ALIGNMENT = 4096;
    /** Largest data length a region may have: 1 GiB, so that header plus data fits one mappable buffer. */
    public static final long REGION_MAX_DATA_LENGTH = 1L << 30;

    /** Offset of the magic number. */
    public static final int REGION_MAGIC_OFFSET;
    /** Length of the magic number. */
    public static final int REGION_MAGIC_LENGTH = BitUtil.SIZE_OF_LONG;
    /** Offset of the layout version, written last with release semantics. */
    public static final int REGION_LAYOUT_VERSION_OFFSET;
    /** Length of the layout version. */
    public static final int REGION_LAYOUT_VERSION_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the owning node's id. */
    public static final int REGION_NODE_ID_OFFSET;
    /** Length of the node id. */
    public static final int REGION_NODE_ID_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the region id, unique within the node. */
    public static final int REGION_REGION_ID_OFFSET;
    /** Length of the region id. */
    public static final int REGION_REGION_ID_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the access flags (see {@link io.farline.transport.AccessFlags}). */
    public static final int REGION_ACCESS_FLAGS_OFFSET;
    /** Length of the access flags. */
    public static final int REGION_ACCESS_FLAGS_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the remote key a peer must present. */
    public static final int REGION_RKEY_OFFSET;
    /** Length of the remote key. */
    public static final int REGION_RKEY_LENGTH = BitUtil.SIZE_OF_LONG;
    /** Offset of the data length in bytes. */
    public static final int REGION_DATA_LENGTH_OFFSET;
    /** Length of the data length field. */
    public static final int REGION_DATA_LENGTH_LENGTH = BitUtil.SIZE_OF_LONG;
    /** Offset of the region state ({@link #REGION_STATE_REGISTERED} or {@link #REGION_STATE_DEREGISTERED}). */
    public static final int REGION_STATE_OFFSET;
    /** Length of the region state. */
    public static final int REGION_STATE_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the data: the header length. */
    public static final int REGION_DATA_OFFSET;

    /** Region state: registered, verbs allowed as the access flags say. */
    public static final int REGION_STATE_REGISTERED = 1;
    /** Region state: deregistered by its owner, every remote verb fails with a remote access error. */
    public static final int REGION_STATE_DEREGISTERED = 2;

    static
    {
        int offset = 0;
        REGION_MAGIC_OFFSET = offset;
        offset += REGION_MAGIC_LENGTH;
        REGION_LAYOUT_VERSION_OFFSET = offset;
        offset += REGION_LAYOUT_VERSION_LENGTH;
        REGION_NODE_ID_OFFSET = offset;
        offset += REGION_NODE_ID_LENGTH;
        REGION_REGION_ID_OFFSET = offset;
        offset += REGION_REGION_ID_LENGTH;
        REGION_ACCESS_FLAGS_OFFSET = offset;
        offset += REGION_ACCESS_FLAGS_LENGTH;
        REGION_RKEY_OFFSET = offset;
        offset += REGION_RKEY_LENGTH;
        REGION_DATA_LENGTH_OFFSET = offset;
        offset += REGION_DATA_LENGTH_LENGTH;

        offset = BitUtil.align(offset, REGION_SLOT_ALIGNMENT);
        REGION_STATE_OFFSET = offset;
        offset += REGION_STATE_LENGTH;

        REGION_DATA_OFFSET = BitUtil.align(offset, REGION_DATA_ALIGNMENT);
    }

    private RegionFileDescriptor()
    {
    }

    /**
     * @param dataLengthBytes length of the region's data.
     * @return length of a region file holding that much data.
     */
    public static long fileLength(final long dataLengthBytes)
    {
        return REGION_DATA_OFFSET + dataLengthBytes;
    }

    /**
     * Checks a data length given in configuration or read from a file.
     *
     * @param dataLengthBytes to check.
     * @return null if valid, else what is wrong.
     */
    public static String checkDataLength(final long dataLengthBytes)
    {
        if (dataLengthBytes <= 0 || dataLengthBytes > REGION_MAX_DATA_LENGTH)
        {
            return "data length " + dataLengthBytes + " is outside 1.." + REGION_MAX_DATA_LENGTH;
        }
        return null;
    }
}
