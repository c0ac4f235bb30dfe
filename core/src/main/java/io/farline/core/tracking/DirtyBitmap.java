package io.farline.core.tracking;

import io.farline.core.internal.ProcessWideBarrier;
import org.agrona.BitUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.VarHandle;

import static io.farline.core.tracking.DirtyBitmapDescriptor.*;

/**
 * The dirty bitmap of a tracked region, in memory laid out as {@link DirtyBitmapDescriptor} describes: the shareable
 * object that writers mark and a drainer collects. It takes unit and word indices and holds no cursor; the drain
 * position lives in {@link DirtyDrainer}.
 * <p>
 * <b>Ordering contract.</b> A writer stores its data first and marks the units after, in program order; a drainer
 * takes a word with an atomic swap to zero, then runs {@link ProcessWideBarrier#run()}, and only then reads the data
 * of the units it took. Together these guarantee that no store is ever lost: for every store, either the drainer that
 * took its bit reads the stored value, or the bit is set again after that drain, and a later drain takes it.
 * <ul>
 *     <li>Fast path: a unit whose bit is set costs one plain load and a test. A writer that sees the bit set while
 *     a drainer concurrently clears it is the dangerous case (store-buffer reordering); the drainer's process-wide
 *     barrier makes that writer's earlier store visible before the drainer reads the data, so the drainer reads the
 *     new value.</li>
 *     <li>Clean-to-dirty: an atomic OR, so concurrent writers of one word never lose each other's bits.</li>
 *     <li>The store must precede the mark in program order, and stay there once compiled. Every mark method is
 *     reached only after the store, and the JIT keeps the bit load after it because both are raw off-heap accesses
 *     at addresses it cannot prove distinct: moving the load first could change what a single thread reads, so no
 *     compiler does it. This is an argument about the JVM and the hardware, beyond the Java memory model, which cannot
 *     express an asymmetric barrier. A release fence would state it explicitly but costs about 7% of a tracked store
 *     (it stops the JIT from keeping fields in registers across a loop of stores), so the jcstress tests in
 *     property-tests check the argument on every build instead, and show the lost store when the drainer skips the
 *     barrier.</li>
 *     <li>When {@link ProcessWideBarrier} is unavailable, every mark begins with a full fence instead (slower,
 *     equally correct).</li>
 * </ul>
 * The guarantee holds within one process: the barrier reaches this process's threads only. A peer that reads the
 * bitmap and data of a live node over the transport sees a snapshot, not a drain; a dead node's bitmap is exact.
 * <p>
 * Threading: mark methods from any thread; {@link #takeWord} and {@link #restoreBits} from any thread, but one
 * drainer is expected (it owns the epoch).
 */
public final class DirtyBitmap
{
    /** log2 of the default tracking unit, one cache line. */
    private static final int LINE_SHIFT = Integer.numberOfTrailingZeros(TrackingGeometry.LINE_SIZE_BYTES);
    /** True when writers must fence because the drainer's process-wide barrier is unavailable. */
    static final boolean WRITER_FENCE = !ProcessWideBarrier.isAvailable();
    /**
     * The base of every word access: none, the words are off-heap. A constant null lets the JIT see raw-memory
     * accesses that cannot alias Java fields, so it keeps this object's fields in registers across a loop of stores.
     */
    private static final Object OFF_HEAP = null;

    private final AtomicBuffer memory;
    /**
     * The buffer behind the words, held so that the memory stays allocated (or mapped) while the bitmap is reachable:
     * {@link #wordsAddress} is a raw address, and closing its tracked memory empties {@link #memory}. Null when the
     * memory wraps an address (its owner keeps it).
     */
    private final Object keepAlive;
    private final TrackingGeometry geometry;
    private final long wordsAddress;
    private final int unitShift;
    private final int wordCount;
    private volatile OwnershipSink ownershipSink;
    private volatile boolean closed;

    private DirtyBitmap(final AtomicBuffer memory, final TrackingGeometry geometry)
    {
        this.memory = memory;
        this.keepAlive = memory.byteBuffer();
        this.geometry = geometry;
        this.wordsAddress = memory.addressOffset() + DIRTY_WORDS_OFFSET;
        this.unitShift = geometry.unitShift();
        this.wordCount = geometry.bitmapWordCount();
    }

    /**
     * Formats memory as an empty bitmap for the geometry: writes the header, clears every word, and publishes the
     * layout version last with release semantics.
     *
     * @param memory   off-heap, at least {@link DirtyBitmapDescriptor#lengthBytes} long, 8-byte aligned, not yet
     *                 shared.
     * @param geometry of the tracked region.
     * @return the bitmap.
     * @throws IllegalArgumentException if the memory is on the heap, too short or misaligned.
     */
    public static DirtyBitmap format(final AtomicBuffer memory, final TrackingGeometry geometry)
    {
        final int required = DirtyBitmapDescriptor.lengthBytes(geometry);
        if (memory.capacity() < required)
        {
            throw new IllegalArgumentException("bitmap memory of " + memory.capacity() + " bytes is shorter than the " +
                required + " bytes " + geometry + " needs");
        }
        if (null != memory.byteArray())
        {
            throw new IllegalArgumentException("bitmap memory must be off-heap (direct or mapped), not a byte[]");
        }
        if ((memory.addressOffset() & (BitUtil.SIZE_OF_LONG - 1)) != 0)
        {
            throw new IllegalArgumentException("bitmap memory at address offset " + memory.addressOffset() +
                " is not 8-byte aligned");
        }
        memory.setMemory(0, required, (byte)0);
        memory.putLong(DIRTY_MAGIC_OFFSET, DIRTY_MAGIC);
        memory.putInt(DIRTY_PAGE_SIZE_OFFSET, geometry.pageSizeBytes());
        memory.putInt(DIRTY_UNIT_SIZE_OFFSET, geometry.unitSizeBytes());
        memory.putInt(DIRTY_TRACKED_LENGTH_OFFSET, geometry.lengthBytes());
        // Publishes the header above; a peer's reader acquires it in DirtyBitmapView.
        memory.putIntRelease(DIRTY_LAYOUT_VERSION_OFFSET, DIRTY_LAYOUT_VERSION);
        return new DirtyBitmap(memory, geometry);
    }

    /**
     * @return the geometry the bitmap tracks.
     */
    public TrackingGeometry geometry()
    {
        return geometry;
    }

    /**
     * @return the memory holding the bitmap, header included; owned by this bitmap.
     */
    public AtomicBuffer memory()
    {
        return memory;
    }

    /**
     * @return number of bitmap words.
     */
    public int wordCount()
    {
        return wordCount;
    }

    /**
     * Marks the units covering {@code [offsetBytes, offsetBytes + lengthBytes)} dirty. Call after the store, never
     * before (see the ordering contract). The range must lie inside the tracked region, which the store that preceded
     * it has already checked.
     *
     * @param offsetBytes start of the stored range in the tracked region.
     * @param lengthBytes length of the stored range; 0 marks nothing.
     */
    public void markBytes(final int offsetBytes, final int lengthBytes)
    {
        if (lengthBytes > 0)
        {
            final int first = offsetBytes >>> unitShift;
            final int last = (offsetBytes + lengthBytes - 1) >>> unitShift;
            if (first == last)
            {
                markUnit(first);
            }
            else
            {
                markUnits(first, last);
            }
        }
    }

    /**
     * Marks the units a primitive store of {@code sizeBytes} at {@code offsetBytes} wrote dirty: the store paths of
     * {@link TrackedBuffer}. Call after the store, as {@link #markBytes}. A primitive of at most 8 bytes spans one
     * unit, or two when it is unaligned and crosses a unit's end (a unit is a power of two of at least 64 bytes): this
     * marks the unit of its first byte, then, only for an unaligned store, that of its last byte.
     * <p>
     * Why not {@link #markBytes}: its test that the first and last units are one, made before marking, cost the
     * JIT registers in a loop of stores (it kept the untaken branch's state, and spilled to the stack). Measured with
     * the paired {@code P1-put-dirty} benchmark, marking the first unit and testing alignment after costs what
     * marking the first unit alone costs, which is the least any check can; testing first costs more. The figures
     * are in the commit that made this change and in {@code bench/results/tracking.json}.
     * <p>
     * The default unit, one line, takes a branch of its own, where the JIT shifts by a constant: on JDK 17 a shift
     * by a variable count must go through one register ({@code cl}), and the moves it takes lengthen the code
     * between one clean store's locked instruction and the next ({@code P2-put-clean}).
     *
     * @param offsetBytes start of the stored primitive in the tracked region.
     * @param sizeBytes   its size: 1, 2, 4 or 8.
     */
    public void markPrimitive(final int offsetBytes, final int sizeBytes)
    {
        final int shift = unitShift;
        if (LINE_SHIFT == shift)
        {
            markPrimitive(offsetBytes, sizeBytes, LINE_SHIFT); // the shifts by a constant
        }
        else
        {
            markPrimitive(offsetBytes, sizeBytes, shift);
        }
    }

    private void markPrimitive(final int offsetBytes, final int sizeBytes, final int shift)
    {
        markUnit(offsetBytes >>> shift);
        if ((offsetBytes & (sizeBytes - 1)) != 0)
        {
            markUnit((offsetBytes + sizeBytes - 1) >>> shift);
        }
    }

    /**
     * Marks one unit dirty: a plain load and a test when it is already dirty, an atomic OR when it is clean.
     *
     * @param unitIndex the unit, in range (not checked: hot path).
     */
    public void markUnit(final int unitIndex)
    {
        if (WRITER_FENCE)
        {
            // Fallback only: orders the caller's data store before the bit load below (store-load), which the
            // drainer's process-wide barrier does when it is available.
            VarHandle.fullFence();
        }
        final long address = wordsAddress + ((long)(unitIndex >>> 6) << 3);
        final long bit = 1L << unitIndex; // the shift count is taken mod 64
        final long word = UnsafeApi.getLong(OFF_HEAP, address);
        if ((word & bit) == 0)
        {
            setBits(address, word, bit);
        }
    }

    /**
     * Marks units {@code first..last} (inclusive) dirty, one load per word they span and an atomic OR only for words
     * where some of them are clean.
     *
     * @param firstUnit first unit, in range.
     * @param lastUnit  last unit, in range, not before the first.
     */
    public void markUnits(final int firstUnit, final int lastUnit)
    {
        if (WRITER_FENCE)
        {
            // Fallback only: see markUnit.
            VarHandle.fullFence();
        }
        for (int word = firstUnit >>> 6, lastWord = lastUnit >>> 6; word <= lastWord; word++)
        {
            final long mask = wordMask(word, firstUnit, lastUnit);
            final long address = wordsAddress + ((long)word << 3);
            final long seen = UnsafeApi.getLong(OFF_HEAP, address);
            if ((seen & mask) != mask)
            {
                setBits(address, seen, mask);
            }
        }
    }

    /**
     * @param word      a bitmap word.
     * @param firstUnit first unit of a range.
     * @param lastUnit  last unit of the range, inclusive.
     * @return the bits of {@code word} that belong to the range.
     */
    static long wordMask(final int word, final int firstUnit, final int lastUnit)
    {
        long mask = -1L;
        if (word == firstUnit >>> 6)
        {
            mask &= -1L << firstUnit; // the shift count is taken mod 64
        }
        if (word == lastUnit >>> 6)
        {
            mask &= -1L >>> (63 - (lastUnit & 63));
        }
        return mask;
    }

    /**
     * Takes a word for draining: swaps it to zero atomically and returns the bits it held. The caller must run
     * {@link ProcessWideBarrier#run()} after its last take and before reading the data of the units taken.
     *
     * @param wordIndex the word, {@code 0 <= wordIndex < wordCount()}.
     * @return the dirty bits the word held.
     */
    public long takeWord(final int wordIndex)
    {
        final long address = wordAddress(wordIndex);
        if (UnsafeApi.getLong(OFF_HEAP, address) == 0)
        {
            return 0; // nothing to take: skip the atomic, the common case in a sparse drain
        }
        return UnsafeApi.getAndSetLong(OFF_HEAP, address, 0);
    }

    /**
     * Sets bits again that a drainer took but did not deliver, so that a later drain delivers them.
     *
     * @param wordIndex the word.
     * @param bits      the bits to set.
     */
    public void restoreBits(final int wordIndex, final long bits)
    {
        if (bits != 0)
        {
            // Not a new transition (the units were dirty when taken): no ownership event.
            UnsafeApi.getAndBitwiseOrLong(OFF_HEAP, wordAddress(wordIndex), bits);
        }
    }

    /**
     * @param wordIndex the word.
     * @return the word's current bits, loaded with volatile semantics.
     * @throws IllegalStateException if the bitmap's tracked memory is closed.
     */
    public long wordVolatile(final int wordIndex)
    {
        checkOpen();
        return UnsafeApi.getLongVolatile(OFF_HEAP, wordAddress(wordIndex));
    }

    /**
     * @param unitIndex the unit.
     * @return true if the unit's bit is set now.
     * @throws IllegalStateException if the bitmap's tracked memory is closed.
     */
    public boolean isUnitDirty(final int unitIndex)
    {
        checkOpen();
        checkUnit(unitIndex);
        return (wordVolatile(unitIndex >>> 6) & (1L << unitIndex)) != 0;
    }

    /**
     * @return the number of drain passes completed, loaded with acquire semantics.
     */
    public long epochAcquire()
    {
        return memory.getLongAcquire(DIRTY_EPOCH_OFFSET);
    }

    /**
     * Ends an epoch. Only the drainer calls this.
     *
     * @return the new epoch.
     */
    long incrementEpochRelease()
    {
        final long next = memory.getLong(DIRTY_EPOCH_OFFSET) + 1;
        // Publishes the epoch's end to readers of epochAcquire(); the drainer is the single writer.
        memory.putLongRelease(DIRTY_EPOCH_OFFSET, next);
        return next;
    }

    /**
     * Sets the sink told of every clean-to-dirty transition from now on, or none. Stores racing with this call may
     * or may not be reported; the bitmap records them either way.
     *
     * @param sink the sink, or null to report nothing.
     */
    public void ownershipSink(final OwnershipSink sink)
    {
        this.ownershipSink = sink;
    }

    /**
     * @return the current ownership sink, or null.
     */
    public OwnershipSink ownershipSink()
    {
        return ownershipSink;
    }

    private void setBits(final long address, final long seen, final long bits)
    {
        // Many writers share a word: an atomic OR so that none loses another's bits. The JDK has no OR instruction
        // for it on x86: getAndBitwiseOrLong is a loop that loads the word again and compare-and-exchanges it. Doing
        // that first from the word the caller loaded for its test saves the reload, which sat between the previous
        // clean store's locked instruction and this one; a lost race takes the loop. What depends on the locked
        // instruction's result is one test: a lost race and an ownership sink both go to afterSetBits, out of the
        // way; computing the taken bits and testing them here, after the lock, cost P2-put-clean measurably.
        final OwnershipSink sink = ownershipSink;
        final long witness = UnsafeApi.compareAndExchangeLong(OFF_HEAP, address, seen, seen | bits);
        if (witness != seen || null != sink)
        {
            afterSetBits(address, seen, witness, bits, sink);
        }
    }

    /**
     * The rest of {@link #setBits} when its compare-and-exchange lost a race (the atomic OR loop sets the bits) or an
     * ownership sink is set (it is told of the bits this call took from clean to dirty).
     */
    private void afterSetBits(
        final long address, final long seen, final long witness, final long bits, final OwnershipSink sink)
    {
        final long before;
        if (witness == seen)
        {
            before = seen; // the compare-and-exchange set the bits
        }
        else if ((witness & bits) == bits)
        {
            before = witness; // lost to writers that set every one of them: nothing to set, nothing taken
        }
        else
        {
            before = UnsafeApi.getAndBitwiseOrLong(OFF_HEAP, address, bits);
        }
        final long taken = bits & ~before;
        if (0 != taken && null != sink)
        {
            sink.onOwnership((int)((address - wordsAddress) >>> 3), taken);
        }
    }

    /**
     * Marks the bitmap closed, with its tracked memory: reads and drains refuse from now on. Marks and takes are hot
     * paths and do not check; the memory stays allocated while the bitmap is reachable, so a late one is harmless.
     */
    void close()
    {
        closed = true;
    }

    /**
     * @throws IllegalStateException if the bitmap's tracked memory is closed.
     */
    void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("the dirty bitmap's tracked memory is closed");
        }
    }

    private long wordAddress(final int wordIndex)
    {
        if (wordIndex < 0 || wordIndex >= wordCount)
        {
            throw new IndexOutOfBoundsException("bitmap word " + wordIndex + " is outside 0.." + (wordCount - 1));
        }
        return wordsAddress + ((long)wordIndex << 3);
    }

    private void checkUnit(final int unitIndex)
    {
        if (unitIndex < 0 || unitIndex >= geometry.unitCount())
        {
            throw new IndexOutOfBoundsException("unit " + unitIndex + " is outside 0.." + (geometry.unitCount() - 1));
        }
    }
}
