package io.farline.core.device;

import io.farline.core.interconnect.Interconnect;
import io.farline.core.interconnect.InterconnectDevice;
import io.farline.core.tracking.DirtyBitmap;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A device that keeps a buffer of dirty line addresses (seed 003, "a buffer that records dirty cache lines"): for
 * every clean-to-dirty transition on its port it appends the unit's byte offset in the tracked memory, and the
 * application reads them with {@link #read(long[])}.
 * <p>
 * Nothing is lost when the device falls behind: if its log fills, or the interconnect drops events, the logger
 * notes the overflow and the next {@link #read} delivers, after what the log holds, every unit the bitmap marks
 * dirty at that moment. Units may then be delivered twice; a unit that a drainer took in the meantime is not
 * delivered again (the drainer delivered it). So the guarantee is: every unit dirtied is delivered by the logger or
 * by a drain.
 * <p>
 * Threading: the callbacks run on the interconnect's thread; {@link #read} on one application thread. They share a
 * one-to-one ring buffer and an overflow flag.
 * <p>
 * Memory: the log holds exactly the entries it was given, in a ring of {@value #RING_BYTES_PER_ENTRY} bytes per entry
 * (at least 64): an entry is a 16-byte record, and Agrona's ring only takes a record while there is room for it and
 * one more record header, so a ring of exactly the entries' size would hold one fewer; the next power of two is twice
 * that. The logger itself stops at the capacity.
 */
public final class DirtyLineLogger implements InterconnectDevice
{
    /** The most entries a log may hold: its ring, with the trailer, must fit an int. */
    public static final int MAX_CAPACITY_ENTRIES = 1 << 25;
    /** Ring bytes each entry of capacity takes; see the class comment for why it is twice the record. */
    public static final int RING_BYTES_PER_ENTRY = 32;

    /** Message type of a log entry in the ring. */
    private static final int ENTRY_TYPE = 1;
    /** Length of one entry in the ring: the record header and the 8-byte offset, already aligned. */
    private static final int ENTRY_LENGTH = RecordDescriptor.HEADER_LENGTH + Long.BYTES;
    /** Smallest ring that takes an entry: Agrona's largest message is an eighth of the ring. */
    private static final int MIN_RING_BYTES = 8 * Long.BYTES;

    private final int port;
    private final DirtyBitmap bitmap;
    private final int unitShift;
    private final int unitCount;
    private final int capacityEntries;
    private final OneToOneRingBuffer log;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final MessageHandler entryReader = this::onEntry;
    private long[] readInto;
    private int readCount;
    private int fallbackNextUnit = -1;
    /** Entries appended so far; the interconnect's thread only. */
    private long entriesAppended;
    /** Entries read so far as this thread last saw it (a stale view is safe: it only makes the log look fuller). */
    private long entriesReadCache;

    /**
     * @param interconnect    whose port to log.
     * @param port            the tracked memory's port.
     * @param capacityEntries entries the log holds before it overflows, a power of two from 1 to
     *                        {@link #MAX_CAPACITY_ENTRIES}; it takes {@value #RING_BYTES_PER_ENTRY} bytes each.
     * @throws IllegalArgumentException if the port is unknown or the capacity not a power of two in range.
     */
    public DirtyLineLogger(final Interconnect interconnect, final int port, final int capacityEntries)
    {
        if (!BitUtil.isPowerOfTwo(capacityEntries) || capacityEntries > MAX_CAPACITY_ENTRIES)
        {
            throw new IllegalArgumentException("log capacity " + capacityEntries + " must be a power of two from 1 " +
                "to " + MAX_CAPACITY_ENTRIES + " entries (" + RING_BYTES_PER_ENTRY + " bytes each)");
        }
        this.port = port;
        this.bitmap = interconnect.port(port).dirtyBitmap();
        this.unitShift = bitmap.geometry().unitShift();
        this.unitCount = bitmap.geometry().unitCount();
        this.capacityEntries = capacityEntries;
        final int ringBytes = Math.max(MIN_RING_BYTES, capacityEntries * RING_BYTES_PER_ENTRY); // cannot overflow
        this.log = new OneToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            ringBytes + RingBufferDescriptor.TRAILER_LENGTH, 128)));
    }

    @Override
    public void onOwnership(final int port, final int wordIndex, final long newlyDirtyBits)
    {
        if (port != this.port)
        {
            return;
        }
        long bits = newlyDirtyBits;
        while (0 != bits)
        {
            if (entriesAppended - entriesReadCache >= capacityEntries)
            {
                // Looks full: load the reader's progress, the ring's head, which read() releases. Entries never need
                // padding (their length divides the ring), so the head counts whole entries.
                entriesReadCache = log.consumerPosition() / ENTRY_LENGTH;
                if (entriesAppended - entriesReadCache >= capacityEntries)
                {
                    overflowed.set(true);
                    return;
                }
            }
            final int unit = (wordIndex << 6) + Long.numberOfTrailingZeros(bits);
            final int claim = log.tryClaim(ENTRY_TYPE, Long.BYTES); // the ring has room for more than the capacity
            if (claim <= 0)
            {
                overflowed.set(true);
                return;
            }
            log.buffer().putLong(claim, (long)unit << unitShift);
            log.commit(claim);
            entriesAppended++;
            bits &= bits - 1;
        }
    }

    @Override
    public void onEventsLost(final long lostEvents)
    {
        overflowed.set(true);
    }

    /**
     * Delivers logged dirty unit offsets, then, after an overflow, the units the bitmap marks dirty.
     *
     * @param into where to write byte offsets of dirty units in the tracked memory.
     * @return how many were written; 0 when there is nothing more for now.
     */
    public int read(final long[] into)
    {
        readInto = into;
        readCount = 0;
        try
        {
            log.read(entryReader, into.length);
        }
        finally
        {
            readInto = null;
        }
        if (readCount < into.length && fallbackNextUnit < 0 && overflowed.getAndSet(false))
        {
            fallbackNextUnit = 0;
        }
        while (fallbackNextUnit >= 0 && readCount < into.length)
        {
            if (fallbackNextUnit >= unitCount)
            {
                fallbackNextUnit = -1;
                break;
            }
            if ((bitmap.wordVolatile(fallbackNextUnit >>> 6) & (1L << fallbackNextUnit)) != 0)
            {
                into[readCount++] = (long)fallbackNextUnit << unitShift;
            }
            fallbackNextUnit++;
        }
        return readCount;
    }

    /**
     * @return true if an overflow has been noted and not yet made up for by {@link #read}.
     */
    public boolean hasOverflowed()
    {
        return overflowed.get() || fallbackNextUnit >= 0;
    }

    @Override
    public String roleName()
    {
        return "dirty-line-logger-port-" + port;
    }

    private void onEntry(final int type, final MutableDirectBuffer buffer, final int index,
        final int length)
    {
        readInto[readCount++] = buffer.getLong(index);
    }
}
