package io.farline.core.tracking;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjIntConsumer;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrackedBufferTest
{
    /** Every store starts here: 8 bytes before a line boundary, so 8-byte stores stay in line 2 of page 1. */
    private static final int AT = 4096 + 2 * 64 + 56;

    private final TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(16 * 4096));
    private final TrackedBuffer buffer = memory.buffer();

    @AfterEach
    void close()
    {
        memory.close();
    }

    /** A store that writes from {@link #AT} on, returning how many bytes it wrote. */
    private record Store(String name, ToIntFunction<TrackedBuffer> store)
    {
        @Override
        public String toString()
        {
            return name;
        }
    }

    @SuppressWarnings("deprecation")
    static Stream<Arguments> stores()
    {
        final ByteOrder be = ByteOrder.BIG_ENDIAN;
        final List<Store> s = new ArrayList<>();
        s.add(new Store("putLong", b -> run(() -> b.putLong(AT, 1L), 8)));
        s.add(new Store("putLong order", b -> run(() -> b.putLong(AT, 1L, be), 8)));
        s.add(new Store("putInt", b -> run(() -> b.putInt(AT, 1), 4)));
        s.add(new Store("putInt order", b -> run(() -> b.putInt(AT, 1, be), 4)));
        s.add(new Store("putDouble", b -> run(() -> b.putDouble(AT, 1.0), 8)));
        s.add(new Store("putDouble order", b -> run(() -> b.putDouble(AT, 1.0, be), 8)));
        s.add(new Store("putFloat", b -> run(() -> b.putFloat(AT, 1.0f), 4)));
        s.add(new Store("putFloat order", b -> run(() -> b.putFloat(AT, 1.0f, be), 4)));
        s.add(new Store("putShort", b -> run(() -> b.putShort(AT, (short)1), 2)));
        s.add(new Store("putShort order", b -> run(() -> b.putShort(AT, (short)1, be), 2)));
        s.add(new Store("putChar", b -> run(() -> b.putChar(AT, 'x'), 2)));
        s.add(new Store("putChar order", b -> run(() -> b.putChar(AT, 'x', be), 2)));
        s.add(new Store("putByte", b -> run(() -> b.putByte(AT, (byte)1), 1)));
        s.add(new Store("putBytes array", b -> run(() -> b.putBytes(AT, new byte[100]), 100)));
        s.add(new Store("putBytes array range", b -> run(() -> b.putBytes(AT, new byte[200], 10, 100), 100)));
        s.add(new Store("putBytes ByteBuffer", b -> run(() -> b.putBytes(AT, ByteBuffer.allocate(100), 100), 100)));
        s.add(new Store("putBytes ByteBuffer index",
            b -> run(() -> b.putBytes(AT, ByteBuffer.allocateDirect(200), 5, 100), 100)));
        s.add(new Store("putBytes DirectBuffer",
            b -> run(() -> b.putBytes(AT, new UnsafeBuffer(new byte[200]), 5, 100), 100)));
        s.add(new Store("setMemory", b -> run(() -> b.setMemory(AT, 100, (byte)7), 100)));
        s.add(new Store("putStringAscii", b -> b.putStringAscii(AT, "hello")));
        s.add(new Store("putStringAscii seq", b -> b.putStringAscii(AT, (CharSequence)"hello")));
        s.add(new Store("putStringAscii order", b -> b.putStringAscii(AT, "hello", be)));
        s.add(new Store("putStringAscii seq order", b -> b.putStringAscii(AT, (CharSequence)"hello", be)));
        s.add(new Store("putStringWithoutLengthAscii", b -> b.putStringWithoutLengthAscii(AT, "hello world")));
        s.add(new Store("putStringWithoutLengthAscii seq",
            b -> b.putStringWithoutLengthAscii(AT, (CharSequence)"hello world")));
        s.add(new Store("putStringWithoutLengthAscii range",
            b -> b.putStringWithoutLengthAscii(AT, "hello world", 1, 9)));
        s.add(new Store("putStringWithoutLengthAscii seq range",
            b -> b.putStringWithoutLengthAscii(AT, (CharSequence)"hello world", 1, 9)));
        s.add(new Store("putStringUtf8", b -> b.putStringUtf8(AT, "h\u00e9llo")));
        s.add(new Store("putStringUtf8 order", b -> b.putStringUtf8(AT, "h\u00e9llo", be)));
        s.add(new Store("putStringUtf8 max", b -> b.putStringUtf8(AT, "h\u00e9llo", 64)));
        s.add(new Store("putStringUtf8 order max", b -> b.putStringUtf8(AT, "h\u00e9llo", be, 64)));
        s.add(new Store("putStringWithoutLengthUtf8", b -> b.putStringWithoutLengthUtf8(AT, "h\u00e9llo world")));
        s.add(new Store("putIntAscii", b -> b.putIntAscii(AT, -123456789)));
        s.add(new Store("putNaturalIntAscii", b -> b.putNaturalIntAscii(AT, 123456789)));
        s.add(new Store("putNaturalPaddedIntAscii", b -> run(() -> b.putNaturalPaddedIntAscii(AT, 12, 42), 12)));
        // Ten digits ending before AT + 10: they start at AT, so the length is the distance to the end.
        s.add(new Store("putNaturalIntAsciiFromEnd", b -> AT + 10 - b.putNaturalIntAsciiFromEnd(1234567891, AT + 10)));
        s.add(new Store("putNaturalLongAscii", b -> b.putNaturalLongAscii(AT, 1234567890123L)));
        s.add(new Store("putLongAscii", b -> b.putLongAscii(AT, -1234567890123L)));
        s.add(new Store("putLongVolatile", b -> run(() -> b.putLongVolatile(AT, 1L), 8)));
        s.add(new Store("putLongOrdered", b -> run(() -> b.putLongOrdered(AT, 1L), 8)));
        s.add(new Store("putLongRelease", b -> run(() -> b.putLongRelease(AT, 1L), 8)));
        s.add(new Store("putLongOpaque", b -> run(() -> b.putLongOpaque(AT, 1L), 8)));
        s.add(new Store("addLongOrdered", b -> run(() -> b.addLongOrdered(AT, 1L), 8)));
        s.add(new Store("addLongRelease", b -> run(() -> b.addLongRelease(AT, 1L), 8)));
        s.add(new Store("addLongOpaque", b -> run(() -> b.addLongOpaque(AT, 1L), 8)));
        s.add(new Store("compareAndSetLong", b -> run(() -> b.compareAndSetLong(AT, 0L, 1L), 8)));
        s.add(new Store("compareAndExchangeLong", b -> run(() -> b.compareAndExchangeLong(AT, 0L, 1L), 8)));
        s.add(new Store("getAndSetLong", b -> run(() -> b.getAndSetLong(AT, 1L), 8)));
        s.add(new Store("getAndAddLong", b -> run(() -> b.getAndAddLong(AT, 1L), 8)));
        s.add(new Store("putIntVolatile", b -> run(() -> b.putIntVolatile(AT, 1), 4)));
        s.add(new Store("putIntOrdered", b -> run(() -> b.putIntOrdered(AT, 1), 4)));
        s.add(new Store("putIntRelease", b -> run(() -> b.putIntRelease(AT, 1), 4)));
        s.add(new Store("putIntOpaque", b -> run(() -> b.putIntOpaque(AT, 1), 4)));
        s.add(new Store("addIntOrdered", b -> run(() -> b.addIntOrdered(AT, 1), 4)));
        s.add(new Store("addIntRelease", b -> run(() -> b.addIntRelease(AT, 1), 4)));
        s.add(new Store("addIntOpaque", b -> run(() -> b.addIntOpaque(AT, 1), 4)));
        s.add(new Store("compareAndSetInt", b -> run(() -> b.compareAndSetInt(AT, 0, 1), 4)));
        s.add(new Store("compareAndExchangeInt", b -> run(() -> b.compareAndExchangeInt(AT, 0, 1), 4)));
        s.add(new Store("getAndSetInt", b -> run(() -> b.getAndSetInt(AT, 1), 4)));
        s.add(new Store("getAndAddInt", b -> run(() -> b.getAndAddInt(AT, 1), 4)));
        s.add(new Store("putShortVolatile", b -> run(() -> b.putShortVolatile(AT, (short)1), 2)));
        s.add(new Store("putByteVolatile", b -> run(() -> b.putByteVolatile(AT, (byte)1), 1)));
        s.add(new Store("putCharVolatile", b -> run(() -> b.putCharVolatile(AT, 'x'), 2)));
        return s.stream().map(Arguments::of);
    }

    private static int run(final Runnable store, final int lengthBytes)
    {
        store.run();
        return lengthBytes;
    }

    @ParameterizedTest
    @MethodSource("stores")
    void shouldMarkExactlyTheLinesEachStoreWrote(final Store store)
    {
        final int length = store.store().applyAsInt(buffer);
        final int expectedFirstLine = AT / 64;
        final int expectedLastLine = (AT + length - 1) / 64;
        final DirtyRuns runs = new DirtyRuns(4);
        memory.drainer().drainEpoch(runs);
        assertEquals(1, runs.count(), store + ": " + runs);
        assertEquals(expectedFirstLine * 64, runs.offsetBytes(0), store + ": " + runs);
        assertEquals((expectedLastLine - expectedFirstLine + 1) * 64, runs.lengthBytes(0), store + ": " + runs);
    }

    @Test
    void shouldOverrideEveryStoreOfUnsafeBuffer()
    {
        final List<String> missing = new ArrayList<>();
        for (final Method method : UnsafeBuffer.class.getMethods())
        {
            if (Modifier.isStatic(method.getModifiers()) || !isStore(method.getName()))
            {
                continue;
            }
            try
            {
                TrackedBuffer.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
            }
            catch (final NoSuchMethodException ex)
            {
                missing.add(method.toString());
            }
        }
        assertTrue(missing.isEmpty(), "TrackedBuffer does not override these stores: " + missing);
    }

    @Test
    void shouldCountEveryOverriddenStoreInTheStoreTable()
    {
        int overridden = 0;
        for (final Method method : TrackedBuffer.class.getDeclaredMethods())
        {
            if (Modifier.isPublic(method.getModifiers()) && isStore(method.getName()) &&
                !method.getName().equals("wrap"))
            {
                overridden++;
            }
        }
        assertEquals(overridden, stores().count(), "every overridden store needs a row in stores()");
    }

    @Test
    void shouldNotMarkWhenACompareAndSetFails()
    {
        buffer.putLong(0, 5L);
        memory.drainer().drainEpoch(new DirtyRuns(1));
        assertEquals(false, buffer.compareAndSetLong(4096, 1L, 2L));
        assertEquals(0L, buffer.compareAndExchangeLong(4096, 1L, 2L));
        assertEquals(0, memory.drainer().drain(new DirtyRuns(1)));
    }

    @Test
    @SuppressWarnings("deprecation")
    void shouldRefuseUnalignedAtomicsWithoutWritingOrMarking()
    {
        final List<Runnable> unaligned = List.of(
            () -> buffer.putLongVolatile(4, 1L), () -> buffer.putLongRelease(1, 1L),
            () -> buffer.putLongOpaque(2, 1L), () -> buffer.putLongOrdered(3, 1L),
            () -> buffer.compareAndSetLong(4, 0L, 1L), () -> buffer.compareAndExchangeLong(12, 0L, 1L),
            () -> buffer.getAndAddLong(6, 1L), () -> buffer.getAndSetLong(7, 1L), () -> buffer.addLongRelease(9, 1L),
            () -> buffer.putIntVolatile(2, 1), () -> buffer.compareAndSetInt(1, 0, 1),
            () -> buffer.getAndAddInt(6, 1), () -> buffer.addIntOpaque(3, 1),
            () -> buffer.putShortVolatile(1, (short)1), () -> buffer.putCharVolatile(3, 'x'));
        for (final Runnable access : unaligned)
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, access::run);
            assertTrue(ex.getMessage().startsWith("unaligned atomic access: index "), ex.getMessage());
        }
        assertEquals(0L, buffer.getLong(0));
        assertEquals(0L, buffer.getLong(8));
        assertEquals(0, memory.drainer().drain(new DirtyRuns(1)));
    }

    @Test
    void shouldRefuseToBeRewrapped()
    {
        assertThrows(UnsupportedOperationException.class, () -> buffer.wrap(new byte[64]));
        assertThrows(UnsupportedOperationException.class, () -> buffer.wrap(0L, 0));
        assertThrows(UnsupportedOperationException.class, () -> buffer.wrap(ByteBuffer.allocateDirect(64)));
    }

    @Test
    void shouldFailEveryAccessAfterCloseInsteadOfReachingReleasedMemory()
    {
        final DirtyDrainer drainerKeptOpen = memory.drainer();
        final DirtyBitmap bitmapKeptOpen = memory.dirtyBitmap();
        memory.close();
        // Held across the close, the drainer and bitmap refuse rather than read memory that may be released.
        final IllegalStateException drain = assertThrows(IllegalStateException.class,
            () -> drainerKeptOpen.drain(new DirtyRuns(4)));
        assertTrue(drain.getMessage().contains("closed"), drain.getMessage());
        assertThrows(IllegalStateException.class, () -> drainerKeptOpen.drainUnits(0, 64, new DirtyRuns(64)));
        assertThrows(IllegalStateException.class, () -> bitmapKeptOpen.isUnitDirty(0));
        assertThrows(IllegalStateException.class, () -> bitmapKeptOpen.wordVolatile(0));
        assertEquals(0, buffer.capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putLong(0, 1L));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.getLong(0));
        final IllegalStateException ex = assertThrows(IllegalStateException.class, memory::drainer);
        assertTrue(ex.getMessage().contains("closed"), ex.getMessage());
    }

    @Test
    void shouldRefuseOutOfRangeStoresWithoutMarking()
    {
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putLong(16 * 4096 - 4, 1L));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putByte(-1, (byte)1));
        assertEquals(0, memory.drainer().drain(new DirtyRuns(1)));
    }

    /** An unaligned primitive store of 2, 4 or 8 bytes at a given offset. */
    private record UnalignedStore(String name, int sizeBytes, ObjIntConsumer<TrackedBuffer> store)
    {
    }

    @Test
    void shouldMarkBothUnitsOfAnUnalignedPrimitiveThatCrossesAUnitEnd()
    {
        final ByteOrder be = ByteOrder.BIG_ENDIAN;
        final List<UnalignedStore> stores = List.of(
            new UnalignedStore("putLong", 8, (b, at) -> b.putLong(at, 1L)),
            new UnalignedStore("putLong order", 8, (b, at) -> b.putLong(at, 1L, be)),
            new UnalignedStore("putDouble", 8, (b, at) -> b.putDouble(at, 1.0)),
            new UnalignedStore("putDouble order", 8, (b, at) -> b.putDouble(at, 1.0, be)),
            new UnalignedStore("putInt", 4, (b, at) -> b.putInt(at, 1)),
            new UnalignedStore("putInt order", 4, (b, at) -> b.putInt(at, 1, be)),
            new UnalignedStore("putFloat", 4, (b, at) -> b.putFloat(at, 1.0f)),
            new UnalignedStore("putFloat order", 4, (b, at) -> b.putFloat(at, 1.0f, be)),
            new UnalignedStore("putShort", 2, (b, at) -> b.putShort(at, (short)1)),
            new UnalignedStore("putShort order", 2, (b, at) -> b.putShort(at, (short)1, be)),
            new UnalignedStore("putChar", 2, (b, at) -> b.putChar(at, 'x')),
            new UnalignedStore("putChar order", 2, (b, at) -> b.putChar(at, 'x', be)));
        // Unit ends inside a bitmap word (after line 2) and at a word's end (after line 63, the next line's bit is
        // in the next word); 64-byte and 256-byte units.
        for (final int unitBytes : new int[]{ 64, 256 })
        {
            try (TrackedMemory tracked = TrackedMemory.allocate(TrackingGeometry.of(256 * unitBytes, 4096, unitBytes)))
            {
                final TrackedBuffer view = tracked.buffer();
                for (final int unitEnd : new int[]{ 3 * unitBytes, 64 * unitBytes })
                {
                    for (final UnalignedStore store : stores)
                    {
                        for (int before = 1; before < store.sizeBytes(); before++)
                        {
                            final String what = store.name() + " " + before + " bytes before the end of unit " +
                                (unitEnd / unitBytes - 1) + " (" + unitBytes + "-byte units)";
                            store.store().accept(view, unitEnd - before);
                            final DirtyRuns runs = new DirtyRuns(4);
                            tracked.drainer().drainEpoch(runs);
                            assertEquals(1, runs.count(), what + ": " + runs);
                            assertEquals(unitEnd - unitBytes, runs.offsetBytes(0), what + ": " + runs);
                            assertEquals(2 * unitBytes, runs.lengthBytes(0), what + ": " + runs);
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldReadBackWhatWasStored()
    {
        buffer.putLong(8, 0x1234_5678_9ABC_DEF0L);
        assertEquals(0x1234_5678_9ABC_DEF0L, buffer.getLong(8));
    }

    private static boolean isStore(final String name)
    {
        return !name.equals("addressOffset") && !name.equals("wrapAdjustment") && (name.startsWith("put") ||
            name.startsWith("set") || name.startsWith("add") || name.startsWith("compareAnd") ||
            name.startsWith("getAnd") || name.startsWith("wrap"));
    }
}
