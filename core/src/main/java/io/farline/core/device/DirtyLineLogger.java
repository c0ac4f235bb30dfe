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
 */
public final class DirtyLineLogger implements InterconnectDevice
{
    /** Message type of a log entry in the ring. */
    private static final int ENTRY_TYPE = 1;

    private final int port;
    private final DirtyBitmap bitmap;
    private final int unitShift;
    private final int unitCount;
    private final OneToOneRingBuffer log;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final MessageHandler entryReader = this::onEntry;
    private long[] readInto;
    private int readCount;
    private int fallbackNextUnit = -1;

    /**
     * @param interconnect    whose port to log.
     * @param port            the tracked memory's port.
     * @param capacityEntries entries the log holds before it overflows, a power of two.
     * @throws IllegalArgumentException if the port is unknown or the capacity not a power of two.
     */
    public DirtyLineLogger(final Interconnect interconnect, final int port, final int capacityEntries)
    {
        if (!BitUtil.isPowerOfTwo(capacityEntries))
        {
            throw new IllegalArgumentException("log capacity " + capacityEntries + " must be a power of two");
        }
        this.port = port;
        this.bitmap = interconnect.port(port).dirtyBitmap();
        this.unitShift = bitmap.geometry().unitShift();
        this.unitCount = bitmap.geometry().unitCount();
        // Each entry is an 8-byte record header plus an 8-byte offset.
        final int ringBytes = Math.max(1024, capacityEntries * 16);
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
            final int unit = (wordIndex << 6) + Long.numberOfTrailingZeros(bits);
            final int claim = log.tryClaim(ENTRY_TYPE, Long.BYTES);
            if (claim <= 0)
            {
                overflowed.set(true);
                return;
            }
            log.buffer().putLong(claim, (long)unit << unitShift);
            log.commit(claim);
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
