package io.farline.core.far;

import io.farline.core.pool.Chunk;
import io.farline.core.pool.PoolClient;
import io.farline.transport.Node;
import io.farline.core.testing.ChildCli;
import io.farline.core.testing.ChildPool;
import io.farline.transport.TestFabric;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Far memory across real processes: a controller and three memory hosts as {@code farline} child JVMs; this JVM is
 * the compute node.
 */
@SuppressWarnings("try") // child processes held open for the length of a block
class FarMemoryMultiProcessTest
{
    private static final int MIB = 1 << 20;

    @RegisterExtension
    final TestFabric testFabric = new TestFabric();

    @Test
    void shouldAgreeWithAByteArrayUnderRandomWorkOverEightTimesTheCacheAlsoAfterDetachAndReopen() throws Exception
    {
        testFabric.expectLeftovers();
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final FarMemoryConfig config = new FarMemoryConfig().addressSpaceBytes(8 * MIB).localCacheBytes(MIB)
            .chunkSizeBytes(MIB).writeBackIntervalMs(2);
        final byte[] model = new byte[8 * MIB];
        final UnsafeBuffer truth = new UnsafeBuffer(model); // the model, in the far memory's byte order
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 3, "4MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            final List<Chunk> chunks;
            final FarMemory memory = FarMemory.open(compute, pool, config);
            final Set<Integer> hosts = new HashSet<>();
            memory.chunks().forEach(chunk -> hosts.add(chunk.hostNodeId()));
            assertEquals(3, hosts.size(), "pages spread over the three hosts");
            final byte[] scratch = new byte[300];
            for (int op = 0; op < 60_000; op++)
            {
                final int kind = random.nextInt(10);
                final long address = random.nextLong(model.length - 300) & ~7L;
                if (kind < 4)
                {
                    final long value = random.nextLong();
                    memory.putLong(address, value);
                    truth.putLong((int)address, value);
                }
                else if (kind < 5)
                {
                    final int length = random.nextInt(1, 300);
                    random.nextBytes(scratch);
                    memory.putBytes(address, scratch, 0, length);
                    System.arraycopy(scratch, 0, model, (int)address, length);
                }
                else if (kind < 9)
                {
                    assertEquals(truth.getLong((int)address), memory.getLong(address),
                        "seed " + seed + " op " + op + " address " + address);
                }
                else
                {
                    final int length = random.nextInt(1, 300);
                    final byte[] read = new byte[length];
                    memory.getBytes(address, read, 0, length);
                    for (int i = 0; i < length; i++)
                    {
                        assertEquals(model[(int)address + i], read[i], "seed " + seed + " op " + op);
                    }
                }
            }
            assertTrue(memory.misses() > 1000, "the working set is 8x the cache: " + memory.misses() + " misses");
            memory.flush();
            assertEquals(memory.dirtyBytes(), memory.bytesWrittenBack(), "only dirty lines are shipped");
            assertTrue(memory.pageGranularBytes() > memory.bytesWrittenBack());
            chunks = memory.detach();

            try (FarMemory reopened = FarMemory.reopen(compute, pool, config, chunks))
            {
                final byte[] all = new byte[model.length];
                reopened.getBytes(0, all, 0, all.length);
                assertArrayEquals(model, all, "seed " + seed + ": the hosts hold every write after detach");
            }
        }
    }

    @Test
    void shouldAgreeWithAByteArrayWhenTheComputeNodeIsAChildJvmToo() throws Exception
    {
        testFabric.expectLeftovers();
        final long seed = System.nanoTime();
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 3, "4MiB"))
        {
            try (ChildCli compute = new ChildCli(FarMemoryWorkloadMain.class,
                List.of(testFabric.fabric().directory().toString(), Long.toString(seed), "30000", "verify")))
            {
                final String result = compute.awaitLineStartingWith("", 120);
                assertTrue(result.startsWith("OK "), result);
                final String[] words = result.split(" ");
                assertTrue(Long.parseLong(words[1]) > 1000, "misses " + words[1]);
                assertTrue(Long.parseLong(words[3]) > Long.parseLong(words[2]), result);
            }
        }
    }

    @Test
    void shouldReopenOnAnotherNodeWhatAnEndedProcessDetached() throws Exception
    {
        testFabric.expectLeftovers();
        final long seed = System.nanoTime();
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 3, "4MiB"))
        {
            final String parked;
            try (ChildCli compute = new ChildCli(FarMemoryWorkloadMain.class,
                List.of(testFabric.fabric().directory().toString(), Long.toString(seed), "20000", "park")))
            {
                parked = compute.awaitLineStartingWith("", 120);
            }
            assertTrue(parked.startsWith("PARKED "), parked);
            final List<Chunk> chunks = FarMemoryWorkloadMain.decode(parked.substring("PARKED ".length()));
            final byte[] model = new byte[8 * MIB];
            FarMemoryWorkloadMain.run(seed, 20000, null, model);
            try (Node compute = testFabric.launch();
                PoolClient pool = new PoolClient(compute, 10_000))
            {
                Thread.sleep(1500); // past the liveness timeout: the ended process's node is gone for the pool
                try (FarMemory reopened = FarMemory.reopen(compute, pool, FarMemoryWorkloadMain.CONFIG, chunks))
                {
                    final byte[] all = new byte[model.length];
                    reopened.getBytes(0, all, 0, all.length);
                    assertArrayEquals(model, all, "seed " + seed + ": the parked chunks kept every write");
                }
                final io.farline.core.pool.PoolException twice = assertThrows(io.farline.core.pool.PoolException.class,
                    () -> FarMemory.reopen(compute, pool, FarMemoryWorkloadMain.CONFIG, chunks));
                assertTrue(twice.getMessage().contains("is not parked"), twice.getMessage());
            }
        }
    }

    @Test
    void shouldEvacuateAReclaimedChunkWhileTheApplicationKeepsWriting() throws Exception
    {
        testFabric.expectLeftovers();
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] model = new byte[4 * MIB];
        final UnsafeBuffer truth = new UnsafeBuffer(model); // the model, in the far memory's byte order
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 2, "4MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            final ChildCli hostA = children.hosts().get(0);
            try (FarMemory memory = FarMemory.open(compute, pool, new FarMemoryConfig().addressSpaceBytes(4 * MIB)
                .localCacheBytes(MIB).chunkSizeBytes(MIB).writeBackIntervalMs(1)))
            {
                for (int op = 0; op < 40_000; op++)
                {
                    if (op == 10_000)
                    {
                        // Host A lent 2 chunks to us and has 2 free: taking 3 back means evacuating one of ours.
                        hostA.send("reclaim 3MiB");
                        hostA.awaitLineStartingWith("reclaim: asked for 3 chunks back", 10);
                    }
                    final long address = random.nextLong(model.length) & ~7L;
                    final long value = random.nextLong();
                    memory.putLong(address, value);
                    truth.putLong((int)address, value);
                    final long check = random.nextLong(model.length) & ~7L;
                    assertEquals(truth.getLong((int)check), memory.getLong(check), "seed " + seed + " op " + op);
                }
                final long deadline = System.currentTimeMillis() + 10_000;
                while (memory.evacuatedChunks() == 0 && System.currentTimeMillis() < deadline)
                {
                    memory.doWork();
                }
                assertEquals(1, memory.evacuatedChunks());
                assertEquals(1, memory.chunks().stream().filter(c -> c.hostNodeId() == hostA.nodeId()).count(),
                    "one chunk left on host A");
                final byte[] all = new byte[model.length];
                memory.getBytes(0, all, 0, all.length);
                assertArrayEquals(model, all, "seed " + seed + ": nothing lost across the evacuation");
                String status = null;
                final long statusDeadline = System.currentTimeMillis() + 10_000;
                while (!"status free 0 lent 1 reclaiming 0 withdrawn 3".equals(status) &&
                    System.currentTimeMillis() < statusDeadline)
                {
                    hostA.send("status");
                    status = hostA.awaitLineStartingWith("status", 10);
                }
                assertEquals("status free 0 lent 1 reclaiming 0 withdrawn 3", status);
            }
        }
    }

    @Test
    void shouldServeReadOnlyPagesRemotelyAndPromoteOnTheFirstWrite() throws Exception
    {
        testFabric.expectLeftovers();
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 1, "4MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            final FarMemoryConfig config = new FarMemoryConfig().addressSpaceBytes(MIB).localCacheBytes(MIB / 4)
                .prefetchDepth(0);
            final FarMemory writer = FarMemory.open(compute, pool, config);
            for (int page = 0; page < 16; page++)
            {
                writer.putLong(page * 4096L + 8, 1000 + page);
            }
            final List<Chunk> chunks = writer.detach();
            try (FarMemory memory = FarMemory.reopen(compute, pool, config, chunks))
            {
                assertEquals(16, memory.mapReadOnlyFromHosts(0, 16 * 4096));
                for (int page = 0; page < 16; page++)
                {
                    assertEquals(1000 + page, memory.getLong(page * 4096L + 8));
                }
                assertEquals(16, memory.remoteReads());
                assertEquals(0, memory.misses(), "read-only pages are read remotely, not copied in");

                memory.putLong(3 * 4096L + 16, 42);
                assertEquals(1, memory.promotions());
                assertEquals(1, memory.misses(), "the first write copies the page in");
                assertEquals(1003, memory.getLong(3 * 4096L + 8), "the promoted page kept its content");
                assertEquals(42, memory.getLong(3 * 4096L + 16));
                assertEquals(16, memory.remoteReads(), "the promoted page is now read locally");
                assertThrows(IllegalArgumentException.class, () -> memory.mapReadOnlyFromHosts(100, 4096));
            }
        }
    }

    @Test
    void shouldNameTheDeadHostWhenAPageCannotBeFetched() throws Exception
    {
        testFabric.expectLeftovers();
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 1, "4MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            final ChildCli host = children.hosts().get(0);
            final FarMemory memory = FarMemory.open(compute, pool, new FarMemoryConfig().addressSpaceBytes(MIB)
                .localCacheBytes(MIB / 4).prefetchDepth(0));
            memory.putLong(0, 1);
            memory.flush();
            host.kill();
            final long deadline = System.currentTimeMillis() + 10_000;
            FarMemoryException failure = null;
            long page = 128;
            while (null == failure && System.currentTimeMillis() < deadline)
            {
                try
                {
                    memory.getLong(page++ * 4096L); // never fetched before: a READ from the host
                    Thread.sleep(20);
                }
                catch (final FarMemoryException ex)
                {
                    failure = ex;
                }
            }
            assertTrue(null != failure, "reads from a dead host must fail, not return what it no longer has");
            assertTrue(failure.getMessage().contains("from host " + host.nodeId() + " refused: the host is dead"),
                failure.getMessage());
            memory.putLong(8, 2); // page 0 is local: writes to it still work, and stay dirty in the cache
            assertThrows(FarMemoryException.class, memory::flush, "its write-back cannot reach the dead host");
        }
    }

    @Test
    void shouldKeepAHotSetLocalWhileScanningColdPages() throws Exception
    {
        testFabric.expectLeftovers();
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 1, "4MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            try (FarMemory memory = FarMemory.open(compute, pool, new FarMemoryConfig().addressSpaceBytes(4 * MIB)
                .localCacheBytes(MIB).chunkSizeBytes(MIB).prefetchDepth(0)))
            {
                final int hotPages = 64; // a quarter of the cache
                final SplittableRandom random = new SplittableRandom(7);
                long hotAccesses = 0;
                long hotMisses = 0;
                for (int round = 0; round < 20; round++)
                {
                    final long before = memory.misses();
                    for (int i = 0; i < 2000; i++)
                    {
                        memory.getLong((long)random.nextInt(hotPages) * 4096);
                    }
                    if (round > 0) // round 0 brings the hot set in
                    {
                        hotAccesses += 2000;
                        hotMisses += memory.misses() - before;
                    }
                    // Cold pages, each touched once, 64 per round: the clock must evict these, not the hot set.
                    for (int i = 0; i < 64; i++)
                    {
                        memory.getLong((long)(hotPages + random.nextInt(1024 - hotPages)) * 4096);
                    }
                }
                final double hotHitRate = 1.0 - (double)hotMisses / hotAccesses;
                assertTrue(hotHitRate >= 0.999, "hot set hit rate " + hotHitRate + " (" + hotMisses + " misses)");
                assertTrue(memory.evictions() > 0, "the cold pages must have filled the cache");
            }
        }
    }

    @Test
    void shouldPrefetchAStridedScan() throws Exception
    {
        testFabric.expectLeftovers();
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 1, "4MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            try (FarMemory memory = FarMemory.open(compute, pool, new FarMemoryConfig().addressSpaceBytes(4 * MIB)
                .localCacheBytes(MIB / 4).chunkSizeBytes(MIB)))
            {
                for (long address = 0; address < 4 * MIB; address += 3 * 4096)
                {
                    memory.getLong(address);
                }
                final double hitRate = memory.prefetcher().hitRate();
                assertTrue(hitRate >= 0.9, "prefetch hit rate " + hitRate);
                assertTrue(memory.misses() < 10, "misses " + memory.misses());
            }
        }
    }

    @Test
    void shouldRefuseAddressesOutsideTheSpaceAndBadSettings() throws Exception
    {
        testFabric.expectLeftovers();
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 1, "4MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            assertThrows(IllegalArgumentException.class, () -> FarMemory.open(compute, pool,
                new FarMemoryConfig().addressSpaceBytes(MIB).localCacheBytes(2 * MIB)));
            assertThrows(IllegalArgumentException.class, () -> FarMemory.open(compute, pool,
                new FarMemoryConfig().addressSpaceBytes(MIB + 1).localCacheBytes(MIB)));
            final io.farline.core.pool.PoolException exhausted = assertThrows(io.farline.core.pool.PoolException.class,
                () -> FarMemory.open(compute, pool,
                    new FarMemoryConfig().addressSpaceBytes(64 * MIB).localCacheBytes(MIB)));
            assertTrue(exhausted.getMessage().contains("pool exhausted"), exhausted.getMessage());
            try (FarMemory memory = FarMemory.open(compute, pool, new FarMemoryConfig().addressSpaceBytes(MIB)
                .localCacheBytes(MIB / 2)))
            {
                assertThrows(IndexOutOfBoundsException.class, () -> memory.getLong(MIB - 4));
                assertThrows(IndexOutOfBoundsException.class, () -> memory.putLong(-8, 1));
                assertThrows(IllegalArgumentException.class, () -> memory.getLong(4096 - 4));
            }
        }
    }
}
