package io.farline.core.pagetable;

/**
 * Bit layout of a 64-bit page-table entry, and the functions that build and read entries.
 * <p>
 * Bit 0 is the least significant. The location field means a local frame number when {@code REMOTE} is clear, and a
 * memory host id plus a page offset on that host when it is set. An entry is updated as a whole, by compare-and-set
 * of the 64-bit word, so its fields always change together.
 * <pre>
 *   63                           32 31            16 15      6  5 4 3 2 1 0
 *  +-------------------------------+----------------+----------+--+-+-+-+-+-+
 *  |    Remote Page Offset (32)    |  Host Id (16)  |          |R |R|D|A|W|P|
 *  +-------------------------------+----------------+ Reserved |E |C| | | | |
 *  |            Local Frame Number (48)             |   (10)   |M |L| | | | |
 *  +------------------------------------------------+----------+--+-+-+-+-+-+
 *    P present, W writable, A accessed, D dirty, RCL reclaiming,
 *    REM remote: the location is host id + page offset, else a local frame number
 * </pre>
 */
public final class PageTableEntryDescriptor
{
    /** Bit: the page is mapped (locally or remotely). */
    public static final long PTE_PRESENT = 1L;
    /** Bit: stores are allowed; a store to a present page without it is a write fault. */
    public static final long PTE_WRITABLE = 1L << 1;
    /** Bit: the page was accessed since the clock last cleared it. */
    public static final long PTE_ACCESSED = 1L << 2;
    /** Bit: the page was written since it was last written back. */
    public static final long PTE_DIRTY = 1L << 3;
    /** Bit: the page's frame is being reclaimed; it is read-only until the reclaim ends. */
    public static final long PTE_RECLAIMING = 1L << 4;
    /** Bit: the location is a memory host id and a page offset on it, not a local frame. */
    public static final long PTE_REMOTE = 1L << 5;
    /** All flag bits. */
    public static final long PTE_FLAGS_MASK = (1L << 6) - 1;

    /** Position of the location field. */
    public static final int PTE_LOCATION_SHIFT = 16;
    /** Width of a local frame number. */
    public static final int PTE_FRAME_BITS = 48;
    /** Width of a host id. */
    public static final int PTE_HOST_ID_BITS = 16;
    /** Position of the remote page offset. */
    public static final int PTE_REMOTE_PAGE_SHIFT = PTE_LOCATION_SHIFT + PTE_HOST_ID_BITS;
    /** Width of a remote page offset. */
    public static final int PTE_REMOTE_PAGE_BITS = 32;
    /** Largest local frame number. */
    public static final long PTE_MAX_FRAME = (1L << PTE_FRAME_BITS) - 1;
    /** Largest host id. */
    public static final int PTE_MAX_HOST_ID = (1 << PTE_HOST_ID_BITS) - 1;
    /** Largest remote page offset. */
    public static final long PTE_MAX_REMOTE_PAGE = (1L << PTE_REMOTE_PAGE_BITS) - 1;

    private PageTableEntryDescriptor()
    {
    }

    /**
     * @param frame local frame number, {@code 0..PTE_MAX_FRAME}.
     * @param flags flag bits, within {@link #PTE_FLAGS_MASK} and without {@link #PTE_REMOTE}.
     * @return the entry.
     * @throws IllegalArgumentException if a field is out of range.
     */
    public static long localEntry(final long frame, final long flags)
    {
        if (frame < 0 || frame > PTE_MAX_FRAME)
        {
            throw new IllegalArgumentException("frame " + frame + " is outside 0.." + PTE_MAX_FRAME);
        }
        checkFlags(flags);
        if ((flags & PTE_REMOTE) != 0)
        {
            throw new IllegalArgumentException("a local entry cannot carry PTE_REMOTE");
        }
        return (frame << PTE_LOCATION_SHIFT) | flags;
    }

    /**
     * @param hostId     memory host id, {@code 0..PTE_MAX_HOST_ID}.
     * @param remotePage page offset on that host, {@code 0..PTE_MAX_REMOTE_PAGE}.
     * @param flags      flag bits, within {@link #PTE_FLAGS_MASK}; {@link #PTE_REMOTE} is added.
     * @return the entry.
     * @throws IllegalArgumentException if a field is out of range.
     */
    public static long remoteEntry(final int hostId, final long remotePage, final long flags)
    {
        if (hostId < 0 || hostId > PTE_MAX_HOST_ID)
        {
            throw new IllegalArgumentException("host id " + hostId + " is outside 0.." + PTE_MAX_HOST_ID);
        }
        if (remotePage < 0 || remotePage > PTE_MAX_REMOTE_PAGE)
        {
            throw new IllegalArgumentException("remote page " + remotePage + " is outside 0.." + PTE_MAX_REMOTE_PAGE);
        }
        checkFlags(flags);
        return (remotePage << PTE_REMOTE_PAGE_SHIFT) | ((long)hostId << PTE_LOCATION_SHIFT) | flags | PTE_REMOTE;
    }

    /**
     * @param entry an entry.
     * @param flag  one or more flag bits.
     * @return true if all of them are set.
     */
    public static boolean has(final long entry, final long flag)
    {
        return (entry & flag) == flag;
    }

    /**
     * @param entry a local entry.
     * @return its frame number.
     */
    public static long frame(final long entry)
    {
        return entry >>> PTE_LOCATION_SHIFT;
    }

    /**
     * @param entry a remote entry.
     * @return its host id.
     */
    public static int hostId(final long entry)
    {
        return (int)((entry >>> PTE_LOCATION_SHIFT) & PTE_MAX_HOST_ID);
    }

    /**
     * @param entry a remote entry.
     * @return its page offset on the host.
     */
    public static long remotePage(final long entry)
    {
        return entry >>> PTE_REMOTE_PAGE_SHIFT;
    }

    /**
     * @param entry an entry.
     * @return a readable form, for messages and tools.
     */
    public static String toString(final long entry)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(has(entry, PTE_PRESENT) ? 'P' : '-').append(has(entry, PTE_WRITABLE) ? 'W' : '-')
            .append(has(entry, PTE_ACCESSED) ? 'A' : '-').append(has(entry, PTE_DIRTY) ? 'D' : '-')
            .append(has(entry, PTE_RECLAIMING) ? 'R' : '-');
        if (has(entry, PTE_REMOTE))
        {
            sb.append(" host ").append(hostId(entry)).append(" page ").append(remotePage(entry));
        }
        else
        {
            sb.append(" frame ").append(frame(entry));
        }
        return sb.toString();
    }

    private static void checkFlags(final long flags)
    {
        if ((flags & ~PTE_FLAGS_MASK) != 0)
        {
            throw new IllegalArgumentException("flags " + Long.toHexString(flags) + " have bits outside " +
                Long.toHexString(PTE_FLAGS_MASK));
        }
    }
}
