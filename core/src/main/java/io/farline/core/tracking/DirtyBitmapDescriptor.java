package io.farline.core.tracking;

import org.agrona.BitUtil;
import org.agrona.SemanticVersion;

/**
 * Layout of a dirty bitmap in memory: a header that describes the tracked region, the epoch counter, then one bit
 * per tracking unit in 64-bit words.
 * <p>
 * The bitmap lives in registered memory so that a peer can read it over the transport (the recovery feature reads
 * a dead node's bitmap this way); the header lets that peer check what it reads. Byte order is the platform's
 * native order. Bit {@code u & 63} of word {@code u >>> 6} is the dirty bit of unit {@code u}.
 * <p>
 * Writers and owners:
 * <ul>
 *     <li>the header is written once by the owner before the layout version is published with release
 *     semantics;</li>
 *     <li>the epoch is owned by the single drainer, which stores it with release semantics at the end of each
 *     epoch; it sits in its own 128-byte slot (two cache lines, for the adjacent-line prefetcher) so that its
 *     stores do not disturb the header readers;</li>
 *     <li>each bitmap word has many writers and one collector: a writer sets a clean bit with an atomic OR, and
 *     tests an already-set bit with a plain load; the drainer takes a whole word with an atomic swap to zero
 *     (STYLE 23). The words start on a 128-byte boundary, away from the epoch.</li>
 * </ul>
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                             Magic                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Layout Version                         |
 *  +---------------------------------------------------------------+
 *  |                        Page Size Bytes                        |
 *  +---------------------------------------------------------------+
 *  |                        Unit Size Bytes                        |
 *  +---------------------------------------------------------------+
 *  |                     Tracked Length Bytes                      |
 *  +---------------------------------------------------------------+
 *  |                 Padding to the next 128-byte slot            ...
 *  +---------------------------------------------------------------+
 *  |                             Epoch                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Padding to the next 128-byte slot            ...
 *  +---------------------------------------------------------------+
 *  |                          Bitmap Words                        ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class DirtyBitmapDescriptor
{
    /** "FARLNDRT" read as a little-endian long. */
    public static final long DIRTY_MAGIC = 0x5452444E4C524146L;
    /** Major version: a reader refuses a bitmap of a different major version. */
    public static final int DIRTY_MAJOR_VERSION = 1;
    /** Minor version. */
    public static final int DIRTY_MINOR_VERSION = 0;
    /** The composed layout version this code writes. */
    public static final int DIRTY_LAYOUT_VERSION = SemanticVersion.compose(DIRTY_MAJOR_VERSION, DIRTY_MINOR_VERSION, 0);

    /** Width of a slot that one writer owns: two cache lines. */
    public static final int DIRTY_SLOT_ALIGNMENT = 128;

    /** Offset of the magic number. */
    public static final int DIRTY_MAGIC_OFFSET;
    /** Length of the magic number. */
    public static final int DIRTY_MAGIC_LENGTH = BitUtil.SIZE_OF_LONG;
    /** Offset of the layout version, written last with release semantics. */
    public static final int DIRTY_LAYOUT_VERSION_OFFSET;
    /** Length of the layout version. */
    public static final int DIRTY_LAYOUT_VERSION_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the page size in bytes. */
    public static final int DIRTY_PAGE_SIZE_OFFSET;
    /** Length of the page size field. */
    public static final int DIRTY_PAGE_SIZE_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the tracking unit in bytes. */
    public static final int DIRTY_UNIT_SIZE_OFFSET;
    /** Length of the tracking unit field. */
    public static final int DIRTY_UNIT_SIZE_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the tracked region's length in bytes. */
    public static final int DIRTY_TRACKED_LENGTH_OFFSET;
    /** Length of the tracked length field. */
    public static final int DIRTY_TRACKED_LENGTH_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the epoch: the number of completed drain passes. */
    public static final int DIRTY_EPOCH_OFFSET;
    /** Length of the epoch. */
    public static final int DIRTY_EPOCH_LENGTH = BitUtil.SIZE_OF_LONG;
    /** Offset of the first bitmap word: the header length. */
    public static final int DIRTY_WORDS_OFFSET;

    static
    {
        int offset = 0;
        DIRTY_MAGIC_OFFSET = offset;
        offset += DIRTY_MAGIC_LENGTH;
        DIRTY_LAYOUT_VERSION_OFFSET = offset;
        offset += DIRTY_LAYOUT_VERSION_LENGTH;
        DIRTY_PAGE_SIZE_OFFSET = offset;
        offset += DIRTY_PAGE_SIZE_LENGTH;
        DIRTY_UNIT_SIZE_OFFSET = offset;
        offset += DIRTY_UNIT_SIZE_LENGTH;
        DIRTY_TRACKED_LENGTH_OFFSET = offset;
        offset += DIRTY_TRACKED_LENGTH_LENGTH;

        offset = BitUtil.align(offset, DIRTY_SLOT_ALIGNMENT);
        DIRTY_EPOCH_OFFSET = offset;
        offset += DIRTY_EPOCH_LENGTH;

        DIRTY_WORDS_OFFSET = BitUtil.align(offset, DIRTY_SLOT_ALIGNMENT);
    }

    private DirtyBitmapDescriptor()
    {
    }

    /**
     * @param geometry of the tracked region.
     * @return bytes of memory a bitmap for that geometry needs, header included.
     */
    public static int lengthBytes(final TrackingGeometry geometry)
    {
        return DIRTY_WORDS_OFFSET + geometry.bitmapWordCount() * BitUtil.SIZE_OF_LONG;
    }

    /**
     * @param unitIndex a tracking unit.
     * @return offset, from the start of the bitmap memory, of the word holding that unit's bit.
     */
    public static int wordOffset(final int unitIndex)
    {
        return DIRTY_WORDS_OFFSET + ((unitIndex >>> 6) << 3);
    }
}
