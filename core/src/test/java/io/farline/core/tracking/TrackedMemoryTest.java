package io.farline.core.tracking;

import io.farline.transport.AccessFlags;
import io.farline.transport.Node;
import io.farline.transport.RegionHandle;
import io.farline.transport.TestFabric;
import io.farline.transport.internal.ChildJvm;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrackedMemoryTest
{
    @RegisterExtension
    final TestFabric testFabric = new TestFabric();

    @Test
    void shouldLetAChildJvmReadTheBitmapOverTheTransportAndSeeExactlyTheLinesWritten() throws Exception
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        try (Node node = testFabric.launch();
            TrackedMemory memory = TrackedMemory.register(node, TrackingGeometry.of(256 * 4096)))
        {
            final TreeSet<Integer> written = new TreeSet<>();
            long sum = 0;
            for (int i = 0; i < 300; i++)
            {
                final int line = random.nextInt(memory.geometry().unitCount());
                final long value = random.nextLong();
                if (written.add(line))
                {
                    memory.buffer().putLong(line * 64, value);
                    sum += value;
                }
            }
            final RegionHandle bitmap = memory.bitmapHandle();
            final RegionHandle data = memory.dataHandle();
            final Process child = ChildJvm.start(BitmapReaderMain.class, List.of("-Xmx64m"), List.of(
                testFabric.fabric().directory().toString(), Integer.toString(node.nodeId()),
                Integer.toString(bitmap.regionId()), Long.toString(bitmap.rkey()), Long.toString(bitmap.lengthBytes()),
                Integer.toString(data.regionId()), Long.toString(data.rkey()), Long.toString(data.lengthBytes())));
            final List<String> lines = readAll(child);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not exit");
            final StringJoiner expected = new StringJoiner(" ", "DIRTY ", "");
            written.forEach(line -> expected.add(Integer.toString(line)));
            assertEquals(List.of(expected.toString(), "SUM " + sum), lines, "seed " + seed);
        }
    }

    @Test
    void shouldRegisterDataAndBitmapReadableButNotWritableByPeers()
    {
        try (Node node = testFabric.launch();
            TrackedMemory memory = TrackedMemory.register(node, TrackingGeometry.of(4 * 4096)))
        {
            assertTrue(memory.isRegistered());
            assertEquals(4 * 4096, memory.dataHandle().lengthBytes());
            assertEquals(DirtyBitmapDescriptor.lengthBytes(memory.geometry()), memory.bitmapHandle().lengthBytes());
            assertEquals(0, TrackedMemory.DATA_ACCESS_FLAGS & AccessFlags.REMOTE_WRITE);
            assertEquals(0, TrackedMemory.BITMAP_ACCESS_FLAGS & AccessFlags.REMOTE_WRITE);
        }
    }

    @Test
    void shouldDeregisterItsRegionsOnClose()
    {
        final Node node = testFabric.launch();
        final TrackedMemory memory = TrackedMemory.register(node, TrackingGeometry.of(4 * 4096));
        assertEquals(2, testFabric.fabric().regionIds(node.nodeId()).length);
        memory.close();
        memory.close();
        assertTrue(memory.isClosed());
        assertEquals(0, testFabric.fabric().regionIds(node.nodeId()).length);
        assertThrows(IllegalStateException.class, memory::dataHandle);
        node.close();
    }

    @Test
    void shouldSayAllocatedMemoryIsNotRegistered()
    {
        try (TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(4096)))
        {
            assertFalse(memory.isRegistered());
            final IllegalStateException ex = assertThrows(IllegalStateException.class, memory::bitmapHandle);
            assertTrue(ex.getMessage().contains("not registered"), ex.getMessage());
        }
    }

    @Test
    void shouldRefuseABitmapViewOfMemoryThatIsNotABitmap()
    {
        final UnsafeBuffer junk = new UnsafeBuffer(new byte[4096]);
        junk.putLong(0, 42L);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> DirtyBitmapView.of(junk));
        assertTrue(ex.getMessage().contains("not a dirty bitmap"), ex.getMessage());
        final IllegalArgumentException shortEx =
            assertThrows(IllegalArgumentException.class, () -> DirtyBitmapView.of(new UnsafeBuffer(new byte[16])));
        assertTrue(shortEx.getMessage().contains("shorter than its"), shortEx.getMessage());
    }

    @Test
    void shouldRefuseABitmapWhoseHeaderClaimsMoreWordsThanItHas()
    {
        try (TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(64 * 4096)))
        {
            final UnsafeBuffer truncated = new UnsafeBuffer(memory.dirtyBitmap().memory(), 0,
                DirtyBitmapDescriptor.DIRTY_WORDS_OFFSET + 8);
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> DirtyBitmapView.of(truncated));
            assertTrue(ex.getMessage().contains("needs"), ex.getMessage());
            assertEquals(64 * 4096, DirtyBitmapView.of(memory.dirtyBitmap().memory()).geometry().lengthBytes());
        }
    }

    private static List<String> readAll(final Process child) throws IOException
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
        {
            return in.lines().toList();
        }
    }
}
