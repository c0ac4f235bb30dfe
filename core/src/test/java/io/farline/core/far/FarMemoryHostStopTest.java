package io.farline.core.far;

import io.farline.core.pool.Chunk;
import io.farline.core.pool.PoolClient;
import io.farline.core.testing.ChildCli;
import io.farline.core.testing.ChildPool;
import io.farline.transport.Node;
import io.farline.transport.TestFabric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static io.farline.core.far.FarMemoryParityTest.assertModel;
import static io.farline.core.far.FarMemoryParityTest.runWorkload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A memory host stopped the orderly way (SIGTERM, as Ctrl-C) while it lends chunks to this JVM's far memory: it takes
 * its memory back first, so a borrower that keeps working moves its data and loses nothing, even without redundancy;
 * what a borrower did not move in time is lost as with the host's death, and served from parity.
 */
@SuppressWarnings("try") // child processes held open for the length of a block
class FarMemoryHostStopTest
{
    private static final int MIB = 1 << 20;

    @RegisterExtension
    final TestFabric testFabric = new TestFabric();

    @Test
    void shouldMoveEveryChunkOffAHostStoppedCleanlyAndLoseNothingWithoutRedundancy() throws Exception
    {
        shouldMoveEveryChunkOffAHostStoppedCleanly(Redundancy.none(), 3, 4 * MIB);
    }

    @Test
    void shouldMoveEveryChunkOffAHostStoppedCleanlyAndCountNoHostLostWithParity() throws Exception
    {
        shouldMoveEveryChunkOffAHostStoppedCleanly(Redundancy.xor(3), 5, 3 * MIB);
    }

    private void shouldMoveEveryChunkOffAHostStoppedCleanly(
        final Redundancy redundancy, final int hostCount, final int addressSpace) throws Exception
    {
        testFabric.expectLeftovers();
        final long seed = System.nanoTime();
        final String context = "seed " + seed + ", " + redundancy;
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] model = new byte[addressSpace];
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), hostCount, "4MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000);
            FarMemory memory = FarMemory.open(compute, pool, new FarMemoryConfig().addressSpaceBytes(model.length)
                .localCacheBytes(MIB).chunkSizeBytes(MIB).writeBackIntervalMs(2).redundancy(redundancy)))
        {
            runWorkload(memory, model, random, 20_000, context);
            final ChildCli stopped = children.host(busiestHost(memory.chunks()));
            final long lent = memory.chunks().stream().filter(c -> c.hostNodeId() == stopped.nodeId()).count();
            stopped.terminate();
            // The far memory moves the chunks while the application uses it: each access may do the pool's work.
            final long deadline = System.currentTimeMillis() + 30_000;
            while (!stopped.hasExited() && System.currentTimeMillis() < deadline)
            {
                runWorkload(memory, model, random, 200, context);
            }
            assertEquals("STOPPED: every chunk withdrawn", stopped.awaitLineStartingWith("STOPPED", 10), context);
            assertEquals(lent, memory.evacuatedChunks(), context);
            assertTrue(memory.chunks().stream().noneMatch(c -> c.hostNodeId() == stopped.nodeId()),
                context + ": " + memory.chunks());
            runWorkload(memory, model, random, 20_000, context);
            assertEquals(0, memory.hostDeaths(), context + ": a host that closed holding nothing of ours cost nothing");
            assertEquals(0, memory.degradedReads(), context);
            memory.flush();
            assertModel(memory, model, context + ": nothing lost to the stop");
        }
    }

    @Test
    void shouldServeFromParityWhatAnIdleBorrowerLeftOnAHostThatStopped() throws Exception
    {
        testFabric.expectLeftovers();
        final long seed = System.nanoTime();
        final String context = "seed " + seed;
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] model = new byte[3 * MIB];
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 5, "4MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000);
            FarMemory memory = FarMemory.open(compute, pool, new FarMemoryConfig().addressSpaceBytes(model.length)
                .localCacheBytes(MIB).chunkSizeBytes(MIB).writeBackIntervalMs(2).redundancy(Redundancy.xor(3))))
        {
            runWorkload(memory, model, random, 20_000, context);
            memory.flush();
            final ChildCli stopped = children.host(busiestHost(memory.chunks()));
            // The far memory is idle while the host stops: nobody moves its chunks, and the host closes with them.
            stopped.terminate();
            assertTrue(stopped.awaitLineStartingWith("STOPPED", 30).contains("still lent"), context);
            // The far memory asks its queue pairs, which read the host's close from its control file: it need not
            // wait for this node's conductor to judge the host (compute.peerState may still say ALIVE).
            final long deadline = System.currentTimeMillis() + 10_000;
            while (!stopped.hasExited() && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(10);
            }
            assertTrue(stopped.hasExited(), context);
            runWorkload(memory, model, random, 20_000, context);
            assertEquals(1, memory.hostDeaths(), context + ": the closed host counts as lost");
            assertTrue(memory.degradedReads() > 0, context);
            final long rebuildDeadline = System.currentTimeMillis() + 30_000;
            while (memory.pagesToRebuild() > 0 && System.currentTimeMillis() < rebuildDeadline)
            {
                memory.doWork();
            }
            assertEquals(0, memory.pagesToRebuild(), context + ": the rebuild finished");
            memory.flush();
            assertModel(memory, model, context + ": nothing lost to the stop");
        }
    }

    private static int busiestHost(final List<Chunk> chunks)
    {
        return chunks.stream().collect(Collectors.groupingBy(Chunk::hostNodeId, Collectors.counting())).entrySet()
            .stream().max(Comparator.comparingLong(e -> e.getValue())).orElseThrow().getKey();
    }
}
