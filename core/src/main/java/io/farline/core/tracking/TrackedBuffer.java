package io.farline.core.tracking;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Tracked memory as an Agrona {@link AtomicBuffer}: every store, atomic and bulk copy of {@link UnsafeBuffer} first
 * does what {@code UnsafeBuffer} does, then marks the units it wrote dirty in the region's {@link DirtyBitmap}. SBE
 * codecs and any other code written against {@link org.agrona.MutableDirectBuffer} or {@link AtomicBuffer} thus write
 * into tracked memory with tracking intact. Reads are {@code UnsafeBuffer}'s own, untouched.
 * <p>
 * Costs: a store to a unit that is already dirty adds one plain load and a test to the {@code UnsafeBuffer} store;
 * the first store to a clean unit adds an atomic OR. A failed compare-and-set writes nothing and marks nothing.
 * Offset 0 is the first byte of the tracked region; bounds checks are {@code UnsafeBuffer}'s (on unless
 * {@code agrona.disable.bounds.checks} is set). Atomic and ordered accesses (volatile, release, opaque,
 * compare-and-set, get-and-add, get-and-set) must be naturally aligned: an unaligned one throws
 * {@link IllegalArgumentException} whatever the bounds-check setting. The region starts on a page, so index
 * alignment is address alignment. The view cannot be re-wrapped; after its {@link TrackedMemory} is
 * closed its capacity is 0, so every access fails the bounds check instead of reaching released memory.
 * <p>
 * Threading: as {@code UnsafeBuffer}; any number of threads may store concurrently, and a drainer may run
 * concurrently with them (see {@link DirtyBitmap} for the ordering contract).
 */
public final class TrackedBuffer extends UnsafeBuffer
{
    private static final byte[] EMPTY = new byte[0];
    /**
     * The base of the plain primitive stores: none, the memory is off-heap. With a constant null base the JIT sees a
     * raw-memory store, which cannot alias this object's fields, so it keeps them in registers across a loop of
     * stores; through {@code UnsafeBuffer}'s own store (whose base is a field) every store would force them to be
     * loaded again. Worth about 8% on a tracked store to a dirty line.
     */
    private static final Object OFF_HEAP = null;

    private final DirtyBitmap dirty;
    private final boolean constructed;
    private final long dataAddress;
    /** Keeps the memory (direct buffer or mapping) alive as long as this view is, whatever happens to its owner. */
    private final Object keepAlive;

    TrackedBuffer(final AtomicBuffer memory, final DirtyBitmap dirty)
    {
        // super(memory) wraps the same memory; the plain stores below address it directly, so it must be off-heap.
        super(memory); // calls wrap(DirectBuffer) while constructed is still false
        this.dirty = dirty;
        this.constructed = true;
        if (null != memory.byteArray())
        {
            throw new IllegalArgumentException("tracked memory must be off-heap (direct or mapped), not a byte[]");
        }
        this.dataAddress = memory.addressOffset();
        this.keepAlive = memory.byteBuffer();
    }

    /**
     * @return the bitmap this view marks.
     */
    public DirtyBitmap dirtyBitmap()
    {
        return dirty;
    }

    void detach()
    {
        super.wrap(EMPTY);
    }

    /**
     * Not supported: a view stays on the tracked memory it was made for.
     *
     * @throws UnsupportedOperationException always, once constructed.
     */
    @Override
    public void wrap(final byte[] buffer)
    {
        checkNotConstructed();
        super.wrap(buffer);
    }

    /**
     * Not supported: a view stays on the tracked memory it was made for.
     *
     * @throws UnsupportedOperationException always, once constructed.
     */
    @Override
    public void wrap(final byte[] buffer, final int offset, final int length)
    {
        checkNotConstructed();
        super.wrap(buffer, offset, length);
    }

    /**
     * Not supported: a view stays on the tracked memory it was made for.
     *
     * @throws UnsupportedOperationException always, once constructed.
     */
    @Override
    public void wrap(final ByteBuffer buffer)
    {
        checkNotConstructed();
        super.wrap(buffer);
    }

    /**
     * Not supported: a view stays on the tracked memory it was made for.
     *
     * @throws UnsupportedOperationException always, once constructed.
     */
    @Override
    public void wrap(final ByteBuffer buffer, final int offset, final int length)
    {
        checkNotConstructed();
        super.wrap(buffer, offset, length);
    }

    /**
     * Not supported: a view stays on the tracked memory it was made for.
     *
     * @throws UnsupportedOperationException always, once constructed.
     */
    @Override
    public void wrap(final DirectBuffer buffer)
    {
        checkNotConstructed();
        super.wrap(buffer);
    }

    /**
     * Not supported: a view stays on the tracked memory it was made for.
     *
     * @throws UnsupportedOperationException always, once constructed.
     */
    @Override
    public void wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        checkNotConstructed();
        super.wrap(buffer, offset, length);
    }

    /**
     * Not supported: a view stays on the tracked memory it was made for.
     *
     * @throws UnsupportedOperationException always, once constructed.
     */
    @Override
    public void wrap(final long address, final int length)
    {
        checkNotConstructed();
        super.wrap(address, length);
    }
    @Override
    public void putLong(final int index, final long value)
    {
        if (SHOULD_BOUNDS_CHECK)
        {
            boundsCheck(index, Long.BYTES);
        }
        UnsafeApi.putLong(OFF_HEAP, dataAddress + index, value);
        dirty.markPrimitive(index, Long.BYTES);
    }

    @Override
    public void putLong(final int index, final long value, final ByteOrder byteOrder)
    {
        super.putLong(index, value, byteOrder);
        dirty.markPrimitive(index, Long.BYTES);
    }

    @Override
    public void putInt(final int index, final int value)
    {
        if (SHOULD_BOUNDS_CHECK)
        {
            boundsCheck(index, Integer.BYTES);
        }
        UnsafeApi.putInt(OFF_HEAP, dataAddress + index, value);
        dirty.markPrimitive(index, Integer.BYTES);
    }

    @Override
    public void putInt(final int index, final int value, final ByteOrder byteOrder)
    {
        super.putInt(index, value, byteOrder);
        dirty.markPrimitive(index, Integer.BYTES);
    }

    @Override
    public void putDouble(final int index, final double value)
    {
        if (SHOULD_BOUNDS_CHECK)
        {
            boundsCheck(index, Double.BYTES);
        }
        UnsafeApi.putDouble(OFF_HEAP, dataAddress + index, value);
        dirty.markPrimitive(index, Double.BYTES);
    }

    @Override
    public void putDouble(final int index, final double value, final ByteOrder byteOrder)
    {
        super.putDouble(index, value, byteOrder);
        dirty.markPrimitive(index, Double.BYTES);
    }

    @Override
    public void putFloat(final int index, final float value)
    {
        if (SHOULD_BOUNDS_CHECK)
        {
            boundsCheck(index, Float.BYTES);
        }
        UnsafeApi.putFloat(OFF_HEAP, dataAddress + index, value);
        dirty.markPrimitive(index, Float.BYTES);
    }

    @Override
    public void putFloat(final int index, final float value, final ByteOrder byteOrder)
    {
        super.putFloat(index, value, byteOrder);
        dirty.markPrimitive(index, Float.BYTES);
    }

    @Override
    public void putShort(final int index, final short value)
    {
        if (SHOULD_BOUNDS_CHECK)
        {
            boundsCheck(index, Short.BYTES);
        }
        UnsafeApi.putShort(OFF_HEAP, dataAddress + index, value);
        dirty.markPrimitive(index, Short.BYTES);
    }

    @Override
    public void putShort(final int index, final short value, final ByteOrder byteOrder)
    {
        super.putShort(index, value, byteOrder);
        dirty.markPrimitive(index, Short.BYTES);
    }

    @Override
    public void putChar(final int index, final char value)
    {
        if (SHOULD_BOUNDS_CHECK)
        {
            boundsCheck(index, Character.BYTES);
        }
        UnsafeApi.putChar(OFF_HEAP, dataAddress + index, value);
        dirty.markPrimitive(index, Character.BYTES);
    }

    @Override
    public void putChar(final int index, final char value, final ByteOrder byteOrder)
    {
        super.putChar(index, value, byteOrder);
        dirty.markPrimitive(index, Character.BYTES);
    }

    @Override
    public void putByte(final int index, final byte value)
    {
        if (SHOULD_BOUNDS_CHECK)
        {
            boundsCheck(index, Byte.BYTES);
        }
        UnsafeApi.putByte(OFF_HEAP, dataAddress + index, value);
        dirty.markPrimitive(index, Byte.BYTES);
    }

    @Override
    public void putBytes(final int index, final byte[] src)
    {
        super.putBytes(index, src);
        dirty.markBytes(index, src.length);
    }

    @Override
    public void putBytes(final int index, final byte[] src, final int offset, final int length)
    {
        super.putBytes(index, src, offset, length);
        dirty.markBytes(index, length);
    }

    @Override
    public void putBytes(final int index, final ByteBuffer srcBuffer, final int length)
    {
        super.putBytes(index, srcBuffer, length);
        dirty.markBytes(index, length);
    }

    @Override
    public void putBytes(final int index, final ByteBuffer srcBuffer, final int srcIndex, final int length)
    {
        super.putBytes(index, srcBuffer, srcIndex, length);
        dirty.markBytes(index, length);
    }

    @Override
    public void putBytes(final int index, final DirectBuffer srcBuffer, final int srcIndex, final int length)
    {
        super.putBytes(index, srcBuffer, srcIndex, length);
        dirty.markBytes(index, length);
    }

    @Override
    public void setMemory(final int index, final int length, final byte value)
    {
        super.setMemory(index, length, value);
        dirty.markBytes(index, length);
    }

    @Override
    public int putStringAscii(final int index, final String value)
    {
        final int lengthBytes = super.putStringAscii(index, value);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putStringAscii(final int index, final CharSequence value)
    {
        final int lengthBytes = super.putStringAscii(index, value);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putStringAscii(final int index, final String value, final ByteOrder byteOrder)
    {
        final int lengthBytes = super.putStringAscii(index, value, byteOrder);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putStringAscii(final int index, final CharSequence value, final ByteOrder byteOrder)
    {
        final int lengthBytes = super.putStringAscii(index, value, byteOrder);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putStringWithoutLengthAscii(final int index, final String value)
    {
        final int lengthBytes = super.putStringWithoutLengthAscii(index, value);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putStringWithoutLengthAscii(final int index, final CharSequence value)
    {
        final int lengthBytes = super.putStringWithoutLengthAscii(index, value);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putStringWithoutLengthAscii(final int index, final String value, final int valueOffset,
        final int length)
    {
        final int lengthBytes = super.putStringWithoutLengthAscii(index, value, valueOffset, length);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putStringWithoutLengthAscii(final int index, final CharSequence value, final int valueOffset,
        final int length)
    {
        final int lengthBytes = super.putStringWithoutLengthAscii(index, value, valueOffset, length);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putStringUtf8(final int index, final String value)
    {
        final int lengthBytes = super.putStringUtf8(index, value);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putStringUtf8(final int index, final String value, final ByteOrder byteOrder)
    {
        final int lengthBytes = super.putStringUtf8(index, value, byteOrder);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putStringUtf8(final int index, final String value, final int maxEncodedLength)
    {
        final int lengthBytes = super.putStringUtf8(index, value, maxEncodedLength);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putStringUtf8(final int index, final String value, final ByteOrder byteOrder,
        final int maxEncodedLength)
    {
        final int lengthBytes = super.putStringUtf8(index, value, byteOrder, maxEncodedLength);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putStringWithoutLengthUtf8(final int index, final String value)
    {
        final int lengthBytes = super.putStringWithoutLengthUtf8(index, value);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putIntAscii(final int index, final int value)
    {
        final int lengthBytes = super.putIntAscii(index, value);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putNaturalIntAscii(final int index, final int value)
    {
        final int lengthBytes = super.putNaturalIntAscii(index, value);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public void putNaturalPaddedIntAscii(final int offset, final int length, final int value)
    {
        super.putNaturalPaddedIntAscii(offset, length, value);
        dirty.markBytes(offset, length);
    }

    @Override
    public int putNaturalIntAsciiFromEnd(final int value, final int endExclusive)
    {
        final int start = super.putNaturalIntAsciiFromEnd(value, endExclusive);
        dirty.markBytes(start, endExclusive - start);
        return start;
    }

    @Override
    public int putNaturalLongAscii(final int index, final long value)
    {
        final int lengthBytes = super.putNaturalLongAscii(index, value);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public int putLongAscii(final int index, final long value)
    {
        final int lengthBytes = super.putLongAscii(index, value);
        dirty.markBytes(index, lengthBytes);
        return lengthBytes;
    }

    @Override
    public void putLongVolatile(final int index, final long value)
    {
        checkAligned(index, Long.BYTES);
        super.putLongVolatile(index, value);
        dirty.markPrimitive(index, Long.BYTES);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void putLongOrdered(final int index, final long value)
    {
        checkAligned(index, Long.BYTES);
        super.putLongOrdered(index, value);
        dirty.markPrimitive(index, Long.BYTES);
    }

    @Override
    public void putLongRelease(final int index, final long value)
    {
        checkAligned(index, Long.BYTES);
        super.putLongRelease(index, value);
        dirty.markPrimitive(index, Long.BYTES);
    }

    @Override
    public void putLongOpaque(final int index, final long value)
    {
        checkAligned(index, Long.BYTES);
        super.putLongOpaque(index, value);
        dirty.markPrimitive(index, Long.BYTES);
    }

    @Override
    @SuppressWarnings("deprecation")
    public long addLongOrdered(final int index, final long increment)
    {
        checkAligned(index, Long.BYTES);
        final long previous = super.addLongOrdered(index, increment);
        dirty.markPrimitive(index, Long.BYTES);
        return previous;
    }

    @Override
    public long addLongRelease(final int index, final long increment)
    {
        checkAligned(index, Long.BYTES);
        final long previous = super.addLongRelease(index, increment);
        dirty.markPrimitive(index, Long.BYTES);
        return previous;
    }

    @Override
    public long addLongOpaque(final int index, final long increment)
    {
        checkAligned(index, Long.BYTES);
        final long previous = super.addLongOpaque(index, increment);
        dirty.markPrimitive(index, Long.BYTES);
        return previous;
    }

    @Override
    public boolean compareAndSetLong(final int index, final long expectedValue, final long updateValue)
    {
        checkAligned(index, Long.BYTES);
        final boolean swapped = super.compareAndSetLong(index, expectedValue, updateValue);
        if (swapped)
        {
            dirty.markPrimitive(index, Long.BYTES);
        }
        return swapped;
    }

    @Override
    public long compareAndExchangeLong(final int index, final long expectedValue, final long updateValue)
    {
        checkAligned(index, Long.BYTES);
        final long witness = super.compareAndExchangeLong(index, expectedValue, updateValue);
        if (witness == expectedValue)
        {
            dirty.markPrimitive(index, Long.BYTES);
        }
        return witness;
    }

    @Override
    public long getAndSetLong(final int index, final long value)
    {
        checkAligned(index, Long.BYTES);
        final long previous = super.getAndSetLong(index, value);
        dirty.markPrimitive(index, Long.BYTES);
        return previous;
    }

    @Override
    public long getAndAddLong(final int index, final long delta)
    {
        checkAligned(index, Long.BYTES);
        final long previous = super.getAndAddLong(index, delta);
        dirty.markPrimitive(index, Long.BYTES);
        return previous;
    }

    @Override
    public void putIntVolatile(final int index, final int value)
    {
        checkAligned(index, Integer.BYTES);
        super.putIntVolatile(index, value);
        dirty.markPrimitive(index, Integer.BYTES);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void putIntOrdered(final int index, final int value)
    {
        checkAligned(index, Integer.BYTES);
        super.putIntOrdered(index, value);
        dirty.markPrimitive(index, Integer.BYTES);
    }

    @Override
    public void putIntRelease(final int index, final int value)
    {
        checkAligned(index, Integer.BYTES);
        super.putIntRelease(index, value);
        dirty.markPrimitive(index, Integer.BYTES);
    }

    @Override
    public void putIntOpaque(final int index, final int value)
    {
        checkAligned(index, Integer.BYTES);
        super.putIntOpaque(index, value);
        dirty.markPrimitive(index, Integer.BYTES);
    }

    @Override
    @SuppressWarnings("deprecation")
    public int addIntOrdered(final int index, final int increment)
    {
        checkAligned(index, Integer.BYTES);
        final int previous = super.addIntOrdered(index, increment);
        dirty.markPrimitive(index, Integer.BYTES);
        return previous;
    }

    @Override
    public int addIntRelease(final int index, final int increment)
    {
        checkAligned(index, Integer.BYTES);
        final int previous = super.addIntRelease(index, increment);
        dirty.markPrimitive(index, Integer.BYTES);
        return previous;
    }

    @Override
    public int addIntOpaque(final int index, final int increment)
    {
        checkAligned(index, Integer.BYTES);
        final int previous = super.addIntOpaque(index, increment);
        dirty.markPrimitive(index, Integer.BYTES);
        return previous;
    }

    @Override
    public boolean compareAndSetInt(final int index, final int expectedValue, final int updateValue)
    {
        checkAligned(index, Integer.BYTES);
        final boolean swapped = super.compareAndSetInt(index, expectedValue, updateValue);
        if (swapped)
        {
            dirty.markPrimitive(index, Integer.BYTES);
        }
        return swapped;
    }

    @Override
    public int compareAndExchangeInt(final int index, final int expectedValue, final int updateValue)
    {
        checkAligned(index, Integer.BYTES);
        final int witness = super.compareAndExchangeInt(index, expectedValue, updateValue);
        if (witness == expectedValue)
        {
            dirty.markPrimitive(index, Integer.BYTES);
        }
        return witness;
    }

    @Override
    public int getAndSetInt(final int index, final int value)
    {
        checkAligned(index, Integer.BYTES);
        final int previous = super.getAndSetInt(index, value);
        dirty.markPrimitive(index, Integer.BYTES);
        return previous;
    }

    @Override
    public int getAndAddInt(final int index, final int delta)
    {
        checkAligned(index, Integer.BYTES);
        final int previous = super.getAndAddInt(index, delta);
        dirty.markPrimitive(index, Integer.BYTES);
        return previous;
    }

    @Override
    public void putShortVolatile(final int index, final short value)
    {
        checkAligned(index, Short.BYTES);
        super.putShortVolatile(index, value);
        dirty.markPrimitive(index, Short.BYTES);
    }

    @Override
    public void putByteVolatile(final int index, final byte value)
    {
        super.putByteVolatile(index, value);
        dirty.markPrimitive(index, Byte.BYTES);
    }

    @Override
    public void putCharVolatile(final int index, final char value)
    {
        checkAligned(index, Character.BYTES);
        super.putCharVolatile(index, value);
        dirty.markPrimitive(index, Character.BYTES);
    }

    private static void checkAligned(final int index, final int size)
    {
        // Always on, even with bounds checks off: an unaligned atomic is not atomic, and one that straddles a cache
        // line takes a bus lock.
        if ((index & (size - 1)) != 0)
        {
            throw unaligned(index, size);
        }
    }

    private static IllegalArgumentException unaligned(final int index, final int size)
    {
        return new IllegalArgumentException("unaligned atomic access: index " + index + " is not a multiple of " +
            size);
    }

    private void checkNotConstructed()
    {
        if (constructed)
        {
            throw new UnsupportedOperationException("a TrackedBuffer cannot be re-wrapped: it stays on its tracked " +
                "memory");
        }
    }
}
