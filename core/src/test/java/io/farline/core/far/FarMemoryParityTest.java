package io.farline.core.far;

import io.farline.cli.FarlineMain;
import io.farline.core.parity.ErasureCodec;
import io.farline.core.pool.Chunk;
import io.farline.core.pool.PoolClient;
import io.farline.core.pool.PoolException;
import io.farline.core.testing.ChildCli;
import io.farline.core.testing.ChildPool;
import io.farline.transport.LinkModel;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.PeerState;
import io.farline.transport.QueuePair;
import io.farline.transport.TestFabric;
import io.farline.transport.internal.ChildJvm;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Far memory with parity across real processes: a controller and memory hosts as {@code farline} child JVMs, hosts
 * killed with SIGKILL mid-workload; this JVM is the compute node, checked against a byte array.
 */
@SuppressWarnings("try") // child processes held open for the length of a block
class FarMemoryParityTest
{
    private static final int MIB = 1 << 20;

    @RegisterExtension
    final TestFabric testFabric = new TestFabric();

    @Test
    void shouldSurviveAHostKilledMidWorkloadWithXorParityAndRebuildOntoASpare() throws Exception
    {
        shouldSurviveHostsKilledMidWorkload(Redundancy.xor(3), 6 * MIB, 5, 1);
    }

    @Test
    void shouldSurviveTwoHostsOfAStripeKilledMidWorkloadWithReedSolomonTwoPlusTwo() throws Exception
    {
        shouldSurviveHostsKilledMidWorkload(Redundancy.reedSolomon(2, 2), 4 * MIB, 6, 2);
    }

    @Test
    void shouldSurviveAHostKilledMidWorkloadWithTwoReplicas() throws Exception
    {
        shouldSurviveHostsKilledMidWorkload(Redundancy.replicas(), 2 * MIB, 4, 1);
    }

    @Test
    void shouldCancelAReclaimWhenThePageIsStoredToAndKeepEveryStore() throws Exception
    {
        testFabric.expectLeftovers();
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] model = new byte[3 * MIB];
        final UnsafeBuffer truth = new UnsafeBuffer(model); // the model, in the far memory's byte order
        // With the link model on, a WRITE completes 20 us after it is posted, as on a network.
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 4, "2MiB");
            Node compute = testFabric.launch(new NodeConfig().linkModel(new LinkModel(10_000, 0)));
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            // A third of the cache is kept free by reclaims in flight; the stores land on them at random.
            try (FarMemory memory = FarMemory.open(compute, pool, new FarMemoryConfig().addressSpaceBytes(3 * MIB)
                .localCacheBytes(MIB / 4).chunkSizeBytes(MIB).writeBackIntervalMs(0).prefetchDepth(0)
                .reclaimAheadPages(20).redundancy(Redundancy.xor(3))))
            {
                for (int op = 0; op < 40_000; op++)
                {
                    // Mostly a small hot range, so that pages being reclaimed are stored to again soon.
                    final long address = (random.nextInt(4) == 0 ? random.nextLong(model.length) :
                        random.nextLong(96 * 4096)) & ~7L;
                    final long value = random.nextLong();
                    memory.putLong(address, value);
                    truth.putLong((int)address, value);
                    final long check = random.nextLong(model.length) & ~7L;
                    assertEquals(truth.getLong((int)check), memory.getLong(check), "seed " + seed + " op " + op);
                }
                assertTrue(memory.reclaimsCancelled() > 0, "seed " + seed + ": no store met a page being reclaimed");
                assertTrue(memory.evictions() > 1000, "reclaims finished too: " + memory.evictions());
                memory.flush();
                assertParityHolds(compute, memory.chunks(), Redundancy.xor(3), "seed " + seed);
                assertModel(memory, model, "seed " + seed);
            }
        }
    }

    @Test
    void shouldKeepAPageWhoseReclaimAHostDidNotConfirm() throws Exception
    {
        testFabric.expectLeftovers();
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 1, "1MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            final ChildCli host = children.hosts().get(0);
            final FarMemory memory = FarMemory.open(compute, pool, new FarMemoryConfig().addressSpaceBytes(MIB)
                .localCacheBytes(8 * 4096).writeBackIntervalMs(0).prefetchDepth(0).reclaimAheadPages(0));
            for (int page = 0; page < 8; page++)
            {
                memory.putLong(page * 4096L, 100 + page); // fills the cache, every page dirty
            }
            host.kill();
            final long deadline = System.currentTimeMillis() + 10_000;
            while (compute.peerState(host.nodeId()) != io.farline.transport.PeerState.DEAD &&
                System.currentTimeMillis() < deadline)
            {
                Thread.sleep(10);
            }
            // A miss needs a frame: the victim's write-back fails (no redundancy), and the victim must stay.
            final FarMemoryException ex = assertThrows(FarMemoryException.class, () -> memory.getLong(20 * 4096L));
            assertTrue(ex.getMessage().contains("PEER_DEAD"), ex.getMessage());
            assertEquals(1, memory.reclaimsRetried());
            for (int page = 0; page < 8; page++)
            {
                assertEquals(100 + page, memory.getLong(page * 4096L), "page " + page + " stayed in the cache");
            }
            assertEquals(0, memory.evictions());
        }
    }

    @Test
    void shouldNotBorrowFromAHostThisNodeKnowsDeadBeforeTheControllerDoes() throws Exception
    {
        testFabric.expectLeftovers();
        // This node declares a silent peer dead after 300 ms, the controller after 1 s: in between, the controller
        // still lends the dead host's chunks.
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 4, "2MiB");
            Node compute = testFabric.launch(new NodeConfig().livenessTimeoutMs(300));
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            final ChildCli victim = children.hosts().get(0);
            victim.kill();
            final long deadline = System.currentTimeMillis() + 10_000;
            while (compute.peerState(victim.nodeId()) != PeerState.DEAD && System.currentTimeMillis() < deadline)
            {
                Thread.onSpinWait();
            }
            try (FarMemory memory = FarMemory.open(compute, pool, new FarMemoryConfig().addressSpaceBytes(2 * MIB)
                .localCacheBytes(MIB / 4).chunkSizeBytes(MIB).redundancy(Redundancy.xor(2))))
            {
                assertTrue(memory.chunks().stream().noneMatch(c -> c.hostNodeId() == victim.nodeId()),
                    memory.chunks().toString());
                memory.putLong(8, 5);
                memory.flush();
                assertEquals(5, memory.getLong(8));
            }
        }
    }

    @Test
    void shouldRefuseAReplicaCountOutOfRangeOrAboveTheHosts() throws Exception
    {
        testFabric.expectLeftovers();
        assertThrows(IllegalArgumentException.class, () -> Redundancy.replicas(1));
        assertThrows(IllegalArgumentException.class, () -> Redundancy.replicas(9));
        assertEquals(2.0, Redundancy.replicas().overhead());
        assertEquals(4.0 / 3, Redundancy.xor(3).overhead(), 1e-9);
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 2, "2MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            final PoolException three = assertThrows(PoolException.class, () -> FarMemory.open(compute, pool,
                new FarMemoryConfig().addressSpaceBytes(MIB).localCacheBytes(MIB / 4).chunkSizeBytes(MIB)
                .redundancy(Redundancy.replicas(3))));
            assertTrue(three.getMessage().contains("3 replicas needs") &&
                three.getMessage().contains("3 distinct hosts"), three.getMessage());
        }
    }

    /**
     * Random writes and reads against a byte array, with hosts of group 0's stripes killed (SIGKILL) at random
     * moments, write-backs in flight; every write must read back, degraded and after the rebuild, and the hosts'
     * data and parity must agree after it.
     */
    private void shouldSurviveHostsKilledMidWorkload(
        final Redundancy scheme, final long addressSpace, final int hostCount, final int kills) throws Exception
    {
        testFabric.expectLeftovers();
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final String context = "seed " + seed + ", " + scheme;
        final FarMemoryConfig config = new FarMemoryConfig().addressSpaceBytes(addressSpace).localCacheBytes(MIB)
            .chunkSizeBytes(MIB).writeBackIntervalMs(2).redundancy(scheme);
        final byte[] model = new byte[(int)addressSpace];
        final UnsafeBuffer truth = new UnsafeBuffer(model); // the model, in the far memory's byte order
        // 4 MiB a host: a host holds at most one chunk of each of 2 groups, and up to 2 replacements after 2 losses.
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), hostCount, "4MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            final FarMemory memory = FarMemory.open(compute, pool, config);
            final int k = scheme.dataPages();
            final int m = scheme.parityPages();
            assertEquals(addressSpace / MIB / k * (k + m), memory.chunks().size(), "k + m chunks a group");
            assertStripesOnDistinctHosts(memory.chunks(), k, m);

            runWorkload(memory, model, random, 20_000, context);
            memory.flush();
            assertParityHolds(compute, memory.chunks(), scheme, context + " after a flush");
            assertTrue(memory.parityUpdateBytes() < memory.pageParityUpdateBytes() / 4,
                "line-granular parity updates: " + memory.parityUpdateBytes() + " bytes against " +
                memory.pageParityUpdateBytes() + " for whole pages");

            // Victims: the hosts of distinct members of group 0's stripes (data chunk 0, then a parity chunk).
            final List<Chunk> before = memory.chunks();
            final int groups = before.size() / (k + m);
            final List<Integer> victims = new ArrayList<>();
            victims.add(before.get(0).hostNodeId());
            victims.add(before.get(groups * k).hostNodeId());
            long lostChunks = 0;
            for (int kill = 0; kill < kills; kill++)
            {
                final int victim = victims.get(kill);
                lostChunks += memory.chunks().stream().filter(c -> c.hostNodeId() == victim).count();
                runWorkload(memory, model, random, random.nextInt(1, 5_000), context);
                children.host(victim).kill(); // SIGKILL, with write-backs in flight
            }
            runWorkload(memory, model, random, 40_000, context);
            // This node's conductor judges a killed host dead within its liveness timeout, which a loaded machine can
            // stretch past the workload above: wait for it rather than assume it.
            final long deathDeadline = System.currentTimeMillis() + 10_000;
            while (memory.hostDeaths() < kills && System.currentTimeMillis() < deathDeadline)
            {
                memory.doWork();
            }
            assertEquals(kills, memory.hostDeaths(), context);

            final long deadline = System.currentTimeMillis() + 30_000;
            while (memory.pagesToRebuild() > 0 && System.currentTimeMillis() < deadline)
            {
                memory.doWork();
            }
            assertEquals(0, memory.pagesToRebuild(), context + ": the rebuild finished");
            assertTrue(memory.chunks().stream().noneMatch(c -> victims.subList(0, kills).contains(c.hostNodeId())),
                "nothing left on the dead hosts");
            assertStripesOnDistinctHosts(memory.chunks(), k, m);
            final List<String> stat = stat(testFabric.fabric().directory());
            assertEquals(List.of(memory.rebuiltPages(), 0L), List.of(counter(stat, "pages rebuilt"),
                counter(stat, "pages to rebuild")), "./farline stat shows the rebuild: " + stat);
            assertTrue(stat.stream().anyMatch(line -> line.contains("pool: chunks lent (of 4)")),
                "./farline stat shows each host's pool usage: " + stat);
            assertTrue(memory.rebuiltPages() >= lostChunks * 256, context + ": " + memory.rebuiltPages() +
                " pages rebuilt for " + lostChunks + " chunks lost");
            memory.flush();
            assertParityHolds(compute, memory.chunks(), scheme, context + " after the rebuild");
            assertModel(memory, model, context + " after the rebuild");
            final List<Chunk> chunks = memory.detach();
            try (FarMemory reopened = FarMemory.reopen(compute, pool, config, chunks))
            {
                assertModel(reopened, model, context + ": the hosts hold every write");
            }
        }
    }

    @Test
    void shouldNameThePagesLostWhenMoreHostsDieThanTheParityCovers() throws Exception
    {
        testFabric.expectLeftovers();
        final FarMemoryConfig config = new FarMemoryConfig().addressSpaceBytes(2 * MIB).localCacheBytes(MIB / 4)
            .chunkSizeBytes(MIB).prefetchDepth(0).redundancy(Redundancy.xor(2));
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 3, "1MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            final List<ChildCli> hosts = children.hosts();
            final FarMemory writer = FarMemory.open(compute, pool, config);
            writer.putLong(8, 77);
            final List<Chunk> chunks = writer.detach();
            try (FarMemory memory = FarMemory.reopen(compute, pool, config, chunks))
            {
                // Kill the hosts of data chunk 0 and of the parity chunk: page 0 has one of its three left.
                for (final ChildCli host : hosts)
                {
                    if (host.nodeId() == chunks.get(0).hostNodeId() || host.nodeId() == chunks.get(2).hostNodeId())
                    {
                        host.kill();
                    }
                }
                final long deadline = System.currentTimeMillis() + 10_000;
                while (memory.hostDeaths() < 2 && System.currentTimeMillis() < deadline)
                {
                    memory.doWork();
                }
                final FarMemoryException lost = assertThrows(FarMemoryException.class, () -> memory.getLong(8));
                assertTrue(lost.getMessage().contains("pages lost: 0 (host " + chunks.get(0).hostNodeId() + ")"),
                    lost.getMessage());
                assertEquals(0, memory.getLong(MIB + 8), "a page of the surviving host still reads");
            }
        }
    }

    @Test
    void shouldRefuseAStripeWiderThanTheHostsWithRoomAndAnAddressSpaceOfPartialGroups() throws Exception
    {
        testFabric.expectLeftovers();
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 3, "4MiB");
            Node compute = testFabric.launch();
            PoolClient pool = new PoolClient(compute, 10_000))
        {
            final PoolException wide = assertThrows(PoolException.class, () -> FarMemory.open(compute, pool,
                new FarMemoryConfig().addressSpaceBytes(3 * MIB).localCacheBytes(MIB).chunkSizeBytes(MIB)
                .redundancy(Redundancy.xor(3))));
            assertTrue(wide.getMessage().contains("4 distinct hosts with a free chunk") &&
                wide.getMessage().contains("each on a different host"), wide.getMessage());
            assertEquals(0, pool.held().size(), "nothing kept after a refusal");

            final IllegalArgumentException partial = assertThrows(IllegalArgumentException.class,
                () -> FarMemory.open(compute, pool, new FarMemoryConfig().addressSpaceBytes(4 * MIB)
                .localCacheBytes(MIB).chunkSizeBytes(MIB).redundancy(Redundancy.reedSolomon(3, 2))));
            assertTrue(partial.getMessage().contains("multiple of 3 chunks"), partial.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Redundancy.xor(1));
            assertThrows(IllegalArgumentException.class, () -> Redundancy.reedSolomon(4, 0));
            assertThrows(IllegalArgumentException.class, () -> Redundancy.reedSolomon(4, 9));
        }
    }

    /**
     * @return what {@code farline stat} prints for the fabric, run as a child JVM.
     */
    private static List<String> stat(final Path fabric) throws Exception
    {
        final Process process = ChildJvm.start(FarlineMain.class, List.of(), List.of("stat", fabric.toString()));
        final List<String> lines;
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            lines = out.lines().toList();
        }
        assertEquals(0, process.waitFor(), "farline stat failed: " + lines);
        return lines;
    }

    /**
     * @return the value of the counter whose label ends with {@code suffix} in {@code farline stat}'s output.
     */
    private static long counter(final List<String> stat, final String suffix)
    {
        for (final String line : stat)
        {
            final String[] words = line.trim().split("\\s+");
            final String label = line.trim().substring(0, line.trim().length() - words[words.length - 1].length())
                .trim();
            if (label.endsWith(suffix))
            {
                return Long.parseLong(words[words.length - 1].replace(",", ""));
            }
        }
        throw new AssertionError("no counter '" + suffix + "' in " + stat);
    }

    /**
     * Random stores (longs and byte runs) and checked loads, mirrored in the model.
     */
    static void runWorkload(
        final FarMemory memory, final byte[] model, final SplittableRandom random, final int ops, final String seed)
    {
        final UnsafeBuffer truth = new UnsafeBuffer(model);
        final byte[] scratch = new byte[300];
        for (int op = 0; op < ops; op++)
        {
            final int kind = random.nextInt(10);
            final long address = random.nextLong(model.length - 300) & ~7L;
            if (kind < 5)
            {
                final long value = random.nextLong();
                memory.putLong(address, value);
                truth.putLong((int)address, value);
            }
            else if (kind < 6)
            {
                final int length = random.nextInt(1, 300);
                random.nextBytes(scratch);
                memory.putBytes(address, scratch, 0, length);
                System.arraycopy(scratch, 0, model, (int)address, length);
            }
            else
            {
                assertEquals(truth.getLong((int)address), memory.getLong(address), seed + " op " + op);
            }
        }
    }

    /**
     * Reads the whole far memory and compares it with the model.
     */
    static void assertModel(final FarMemory memory, final byte[] model, final String context)
    {
        final byte[] all = new byte[model.length];
        memory.getBytes(0, all, 0, all.length);
        assertArrayEquals(model, all, context);
    }

    private static void assertStripesOnDistinctHosts(final List<Chunk> chunks, final int k, final int m)
    {
        final int groups = chunks.size() / (k + m);
        for (int group = 0; group < groups; group++)
        {
            final Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < k; i++)
            {
                seen.add(chunks.get(group * k + i).hostNodeId());
            }
            for (int j = 0; j < m; j++)
            {
                seen.add(chunks.get(groups * k + group * m + j).hostNodeId());
            }
            assertEquals(k + m, seen.size(), "group " + group + " of " + chunks);
        }
    }

    /**
     * Reads every chunk straight from its host and checks that each stripe's parity is the encoding of its data.
     */
    private static void assertParityHolds(final Node compute, final List<Chunk> chunks, final Redundancy scheme,
        final String context)
    {
        final int k = scheme.dataPages();
        final int m = scheme.parityPages();
        final int groups = chunks.size() / (k + m);
        final ErasureCodec codec = scheme.codec(4096);
        final byte[][] data = new byte[k][4096];
        final byte[][] parity = new byte[m][4096];
        final byte[][] expected = new byte[m][4096];
        final Map<Integer, QueuePair> links = new HashMap<>();
        try
        {
            checkParity(compute, chunks, codec, k, m, groups, data, parity, expected, links, context);
        }
        finally
        {
            links.values().forEach(QueuePair::close);
        }
    }

    private static void checkParity(final Node compute, final List<Chunk> chunks, final ErasureCodec codec,
        final int k, final int m, final int groups, final byte[][] data, final byte[][] parity,
        final byte[][] expected, final Map<Integer, QueuePair> links, final String context)
    {
        for (int group = 0; group < groups; group++)
        {
            for (int row = 0; row < MIB / 4096; row++)
            {
                for (int i = 0; i < k; i++)
                {
                    readPage(compute, links, chunks.get(group * k + i), row, data[i]);
                }
                for (int j = 0; j < m; j++)
                {
                    readPage(compute, links, chunks.get(groups * k + group * m + j), row, parity[j]);
                }
                codec.encode(data, expected);
                for (int j = 0; j < m; j++)
                {
                    assertArrayEquals(expected[j], parity[j], context + ": parity " + j + " of row " + row +
                        " of group " + group);
                }
            }
        }
    }

    private static void readPage(final Node compute, final Map<Integer, QueuePair> links,
        final Chunk chunk, final int row, final byte[] page)
    {
        final QueuePair qp = links.computeIfAbsent(chunk.hostNodeId(), compute::connect);
        qp.read(new UnsafeBuffer(page), 0, 4096, qp.attach(chunk.dataRegion()), chunk.offsetBytes() + row * 4096L);
    }
}
