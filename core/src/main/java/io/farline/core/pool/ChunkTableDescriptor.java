package io.farline.core.pool;

import org.agrona.BitUtil;
import org.agrona.SemanticVersion;

/**
 * Layout of a memory host's chunk table: the registered region that says which chunks of the host's donated memory
 * are free, lent (and to whom) or being reclaimed. It is the pool's source of truth. The controller changes entries
 * only by one-sided compare-and-swap and keeps no state of its own that it cannot rebuild by reading every host's
 * table, so a controller can die and restart at any moment without lending a chunk twice or losing one.
 * <p>
 * Native byte order. The header is written once by the host before the layout version is published with release
 * semantics; the data region it names holds {@code chunkCount} chunks of {@code chunkSizeBytes} each. Entries start on
 * a 128-byte boundary; each is a 64-bit word changed only by compare-and-swap.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                             Magic                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Layout Version                         |
 *  +---------------------------------------------------------------+
 *  |                         Host Node Id                          |
 *  +---------------------------------------------------------------+
 *  |                       Chunk Size Bytes                        |
 *  +---------------------------------------------------------------+
 *  |                          Chunk Count                          |
 *  +---------------------------------------------------------------+
 *  |                        Data Region Id                         |
 *  +---------------------------------------------------------------+
 *  |                   Padding to 8-byte alignment                ...
 *  +---------------------------------------------------------------+
 *  |                           Data Rkey                           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Padding to the next 128-byte slot            ...
 *  +---------------------------------------------------------------+
 *  |                         Chunk Entries                        ...
 *  +---------------------------------------------------------------+
 * </pre>
 * A chunk entry:
 * <pre>
 *   63                                          18 17            2 1 0
 *  +----------------------------------------------+---------------+---+
 *  |               Generation (46)                |  Owner (16)   |St |
 *  +----------------------------------------------+---------------+---+
 *    St: 0 free, 1 lent to Owner, 2 reclaiming (lent to Owner, who must evacuate it), 3 withdrawn by the host
 *    Generation: incremented by every change, so that a compare-and-swap never succeeds on a stale reading
 * </pre>
 */
public final class ChunkTableDescriptor
{
    /** "FARLNCHT" read as a little-endian long. */
    public static final long CHUNK_MAGIC = 0x5448434E4C524146L;
    /** Major version: a reader refuses a table of a different major version. */
    public static final int CHUNK_MAJOR_VERSION = 1;
    /** The composed layout version this code writes. */
    public static final int CHUNK_LAYOUT_VERSION = SemanticVersion.compose(CHUNK_MAJOR_VERSION, 0, 0);
    /** Width of a slot that one writer owns. */
    public static final int CHUNK_SLOT_ALIGNMENT = 128;

    /** Offset of the magic number. */
    public static final int CHUNK_MAGIC_OFFSET;
    /** Length of the magic number. */
    public static final int CHUNK_MAGIC_LENGTH = BitUtil.SIZE_OF_LONG;
    /** Offset of the layout version, written last with release semantics. */
    public static final int CHUNK_LAYOUT_VERSION_OFFSET;
    /** Length of the layout version. */
    public static final int CHUNK_LAYOUT_VERSION_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the host's node id. */
    public static final int CHUNK_HOST_NODE_ID_OFFSET;
    /** Length of the host node id. */
    public static final int CHUNK_HOST_NODE_ID_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the chunk size in bytes. */
    public static final int CHUNK_SIZE_OFFSET;
    /** Length of the chunk size. */
    public static final int CHUNK_SIZE_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the chunk count. */
    public static final int CHUNK_COUNT_OFFSET;
    /** Length of the chunk count. */
    public static final int CHUNK_COUNT_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the data region's id. */
    public static final int CHUNK_DATA_REGION_ID_OFFSET;
    /** Length of the data region id. */
    public static final int CHUNK_DATA_REGION_ID_LENGTH = BitUtil.SIZE_OF_INT;
    /** Offset of the data region's rkey. */
    public static final int CHUNK_DATA_RKEY_OFFSET;
    /** Length of the data rkey. */
    public static final int CHUNK_DATA_RKEY_LENGTH = BitUtil.SIZE_OF_LONG;
    /** Offset of the first chunk entry: the header length. */
    public static final int CHUNK_ENTRIES_OFFSET;
    /** Length of one chunk entry. */
    public static final int CHUNK_ENTRY_LENGTH = BitUtil.SIZE_OF_LONG;

    /** Entry state: free to lend. */
    public static final int STATE_FREE = 0;
    /** Entry state: lent to its owner. */
    public static final int STATE_LENT = 1;
    /** Entry state: lent, and the host wants it back: the owner must evacuate it. */
    public static final int STATE_RECLAIMING = 2;
    /** Entry state: taken back by the host; not lendable. */
    public static final int STATE_WITHDRAWN = 3;

    /** Smallest chunk: 64 KiB. */
    public static final int MIN_CHUNK_SIZE_BYTES = 64 * 1024;
    /** Largest chunk: 256 MiB. */
    public static final int MAX_CHUNK_SIZE_BYTES = 256 * 1024 * 1024;
    /** Largest donation of one host: 1 GiB. */
    public static final long MAX_DONATION_BYTES = 1L << 30;

    private static final int STATE_BITS = 2;
    private static final int OWNER_SHIFT = STATE_BITS;
    private static final int OWNER_BITS = 16;
    private static final int GENERATION_SHIFT = OWNER_SHIFT + OWNER_BITS;

    static
    {
        int offset = 0;
        CHUNK_MAGIC_OFFSET = offset;
        offset += CHUNK_MAGIC_LENGTH;
        CHUNK_LAYOUT_VERSION_OFFSET = offset;
        offset += CHUNK_LAYOUT_VERSION_LENGTH;
        CHUNK_HOST_NODE_ID_OFFSET = offset;
        offset += CHUNK_HOST_NODE_ID_LENGTH;
        CHUNK_SIZE_OFFSET = offset;
        offset += CHUNK_SIZE_LENGTH;
        CHUNK_COUNT_OFFSET = offset;
        offset += CHUNK_COUNT_LENGTH;
        CHUNK_DATA_REGION_ID_OFFSET = offset;
        offset += CHUNK_DATA_REGION_ID_LENGTH;
        offset = BitUtil.align(offset, BitUtil.SIZE_OF_LONG);
        CHUNK_DATA_RKEY_OFFSET = offset;
        offset += CHUNK_DATA_RKEY_LENGTH;
        CHUNK_ENTRIES_OFFSET = BitUtil.align(offset, CHUNK_SLOT_ALIGNMENT);
    }

    private ChunkTableDescriptor()
    {
    }

    /**
     * @param chunkCount chunks in the table.
     * @return bytes of the table region.
     */
    public static int tableLengthBytes(final int chunkCount)
    {
        return CHUNK_ENTRIES_OFFSET + chunkCount * CHUNK_ENTRY_LENGTH;
    }

    /**
     * @return bytes of the longest table a valid donation has: the largest donation in the smallest chunks.
     */
    public static int maxTableLengthBytes()
    {
        return tableLengthBytes((int)(MAX_DONATION_BYTES / MIN_CHUNK_SIZE_BYTES));
    }

    /**
     * @param chunkIndex a chunk.
     * @return offset of its entry in the table.
     */
    public static int entryOffset(final int chunkIndex)
    {
        return CHUNK_ENTRIES_OFFSET + chunkIndex * CHUNK_ENTRY_LENGTH;
    }

    /**
     * Checks a chunk size and a donation given in configuration or read from a table.
     *
     * @param chunkSizeBytes chunk size.
     * @param chunkCount     chunks.
     * @return null if valid, else what is wrong.
     */
    public static String check(final long chunkSizeBytes, final long chunkCount)
    {
        if (chunkSizeBytes < MIN_CHUNK_SIZE_BYTES || chunkSizeBytes > MAX_CHUNK_SIZE_BYTES ||
            !BitUtil.isPowerOfTwo(chunkSizeBytes))
        {
            return "chunk size " + chunkSizeBytes + " must be a power of two from " + MIN_CHUNK_SIZE_BYTES + " to " +
                MAX_CHUNK_SIZE_BYTES;
        }
        if (chunkCount < 1 || chunkCount * chunkSizeBytes > MAX_DONATION_BYTES)
        {
            return "a donation of " + chunkCount + " chunks of " + chunkSizeBytes + " bytes must hold at least one " +
                "chunk and at most 1 GiB";
        }
        return null;
    }

    /**
     * @param state      one of the {@code STATE_} values.
     * @param owner      owning node id, 0 for none.
     * @param generation the entry's generation.
     * @return the entry.
     */
    public static long entry(final int state, final int owner, final long generation)
    {
        return (generation << GENERATION_SHIFT) | ((long)(owner & 0xFFFF) << OWNER_SHIFT) | (state & 3);
    }

    /**
     * @param entry an entry.
     * @return its state.
     */
    public static int state(final long entry)
    {
        return (int)(entry & 3);
    }

    /**
     * @param entry an entry.
     * @return its owner node id, 0 if none.
     */
    public static int owner(final long entry)
    {
        return (int)((entry >>> OWNER_SHIFT) & 0xFFFF);
    }

    /**
     * @param entry an entry.
     * @return its generation.
     */
    public static long generation(final long entry)
    {
        return entry >>> GENERATION_SHIFT;
    }

    /**
     * @param entry an entry.
     * @param state the next state.
     * @param owner the next owner.
     * @return the entry after the change: the given state and owner, the generation one more.
     */
    public static long next(final long entry, final int state, final int owner)
    {
        return entry(state, owner, generation(entry) + 1);
    }

    /**
     * @param state a state.
     * @return its name.
     */
    public static String stateName(final int state)
    {
        switch (state)
        {
            case STATE_FREE:
                return "free";
            case STATE_LENT:
                return "lent";
            case STATE_RECLAIMING:
                return "reclaiming";
            default:
                return "withdrawn";
        }
    }
}
