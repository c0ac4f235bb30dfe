package io.farline.property.tracking;

import io.farline.core.tracking.DirtyDrainer;
import io.farline.core.tracking.DirtyRuns;
import io.farline.core.tracking.TrackedBuffer;
import io.farline.core.tracking.TrackedMemory;
import io.farline.core.tracking.TrackingGeometry;
import io.farline.property.harness.Property;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs {@link TrackingAction}s on fresh tracked memory and on a model: {@code truth}, a byte array that is what the
 * memory must hold, {@code pending}, the units stored since they were last delivered, and {@code shadow}, a copy
 * updated from every delivered run, as a write-back device would.
 * <p>
 * Checked after every step: the memory equals the truth. At every drain: it delivers only pending units (no unit
 * that was not stored since it was last delivered), every pending unit from the drain's starting word up to its last
 * delivered byte (nothing skipped), and at an epoch's end every pending unit from the starting word on; runs are
 * ascending and coalesced; an early stop happens only with a full buffer. At the end, two full epochs deliver every
 * unit still pending (every store appears in some drain after it) and the shadow equals the truth.
 */
final class TrackingScenario implements Property<TrackingAction>
{
    private final TrackingGeometry geometry;

    TrackingScenario(final TrackingGeometry geometry)
    {
        this.geometry = geometry;
    }

    @Override
    public void check(final List<TrackingAction> actions)
    {
        final int unitShift = geometry.unitShift();
        final byte[] truth = new byte[geometry.lengthBytes()];
        final byte[] shadow = new byte[geometry.lengthBytes()];
        final boolean[] pending = new boolean[geometry.unitCount()];
        try (TrackedMemory memory = TrackedMemory.allocate(geometry))
        {
            final TrackedBuffer buffer = memory.buffer();
            final DirtyDrainer drainer = memory.drainer();
            for (final TrackingAction action : actions)
            {
                if (action instanceof TrackingAction.Store store)
                {
                    store(buffer, store, truth, pending, unitShift);
                }
                else
                {
                    drain(buffer, drainer, new DirtyRuns(((TrackingAction.Drain)action).capacity()), truth, shadow,
                        pending);
                }
            }
            final DirtyRuns big = new DirtyRuns(geometry.unitCount());
            for (int pass = 0; pass < 2; pass++)
            {
                do
                {
                    drain(buffer, drainer, big, truth, shadow, pending);
                }
                while (!big.endsEpoch());
            }
            for (int unit = 0; unit < pending.length; unit++)
            {
                if (pending[unit])
                {
                    fail("unit " + unit + " was stored but never delivered");
                }
            }
            assertArrayEquals(truth, shadow, "the shadow built from drained runs differs from the memory");
        }
    }

    private void store(final TrackedBuffer buffer, final TrackingAction.Store store, final byte[] truth,
        final boolean[] pending, final int unitShift)
    {
        final int offset = store.offsetBytes();
        final int length = store.kind().lengthBytes(store.lengthBytes());
        if (offset < 0 || offset + length > truth.length)
        {
            assertThrows(IndexOutOfBoundsException.class, () -> apply(buffer, store, length),
                "store outside the region: " + store);
            return;
        }
        final boolean wrote = apply(buffer, store, length);
        if (wrote)
        {
            // The stored range's new content is read back: Agrona's store semantics are not what this checks; that
            // nothing else changed is, below.
            buffer.getBytes(offset, truth, offset, length);
            for (int unit = offset >>> unitShift; unit <= (offset + length - 1) >>> unitShift; unit++)
            {
                pending[unit] = true;
            }
        }
        final byte[] actual = new byte[truth.length];
        buffer.getBytes(0, actual);
        assertArrayEquals(truth, actual, "memory changed outside the store " + store);
    }

    private static boolean apply(final TrackedBuffer buffer, final TrackingAction.Store store, final int length)
    {
        final int offset = store.offsetBytes();
        final byte v = store.value();
        switch (store.kind())
        {
            case PUT_BYTE -> buffer.putByte(offset, v);
            case PUT_INT -> buffer.putInt(offset, v * 0x01010101);
            case PUT_LONG -> buffer.putLong(offset, v * 0x0101010101010101L);
            case PUT_LONG_RELEASE -> buffer.putLongRelease(offset, ~v);
            case GET_AND_ADD_LONG -> buffer.getAndAddLong(offset, v);
            case CAS_LONG_HIT -> assertTrue(buffer.compareAndSetLong(offset, buffer.getLong(offset), v));
            case CAS_LONG_MISS ->
            {
                return buffer.compareAndSetLong(offset, ~buffer.getLong(offset), v);
            }
            case PUT_BYTES ->
            {
                final byte[] bytes = new byte[length];
                Arrays.fill(bytes, v);
                bytes[0] = (byte)(v + 1);
                buffer.putBytes(offset, bytes);
            }
            case SET_MEMORY -> buffer.setMemory(offset, length, v);
            default -> throw new IllegalStateException("unknown kind " + store.kind());
        }
        return true;
    }

    private void drain(final TrackedBuffer buffer, final DirtyDrainer drainer, final DirtyRuns runs,
        final byte[] truth, final byte[] shadow, final boolean[] pending)
    {
        final int unitShift = geometry.unitShift();
        final int firstUnit = drainer.nextWord() << 6;
        final int count = drainer.drain(runs);
        assertEquals(runs.count(), count);
        if (!runs.endsEpoch())
        {
            assertEquals(runs.capacity(), count, "a drain stopped early without a full buffer: " + runs);
        }
        int previousEnd = -1;
        int deliveredEnd = firstUnit;
        for (int i = 0; i < count; i++)
        {
            final int start = runs.offsetBytes(i) >>> unitShift;
            final int end = (runs.offsetBytes(i) + runs.lengthBytes(i)) >>> unitShift;
            assertTrue(start > previousEnd, "runs not ascending and coalesced: " + runs);
            for (int unit = start; unit < end; unit++)
            {
                assertTrue(unit >= firstUnit, "delivered unit " + unit + " before the drain's first unit " +
                    firstUnit + ": " + runs);
                assertTrue(pending[unit], "delivered unit " + unit + ", which was not stored since it was last " +
                    "delivered: " + runs);
                pending[unit] = false;
            }
            buffer.getBytes(runs.offsetBytes(i), shadow, runs.offsetBytes(i), runs.lengthBytes(i));
            previousEnd = end;
            deliveredEnd = end;
        }
        final int checkedEnd = runs.endsEpoch() ? pending.length : deliveredEnd;
        for (int unit = firstUnit; unit < checkedEnd; unit++)
        {
            assertTrue(!pending[unit], "unit " + unit + " was pending but skipped by a drain from unit " +
                firstUnit + ": " + runs);
        }
    }
}
