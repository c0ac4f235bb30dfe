package io.farline.core.pool;

import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.PeerState;
import io.farline.transport.QueuePair;
import io.farline.transport.RemoteRegion;
import io.farline.core.testing.ChildCli;
import io.farline.core.testing.ChildPool;
import io.farline.transport.TestFabric;
import io.farline.transport.control.ControlFile;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool across real processes: a controller and memory hosts run as {@code farline} child JVMs, the compute node
 * is this JVM (or a child JVM that is SIGKILLed).
 */
@SuppressWarnings("try") // child processes held open for the length of a block
class PoolMultiProcessTest
{
    private static final int CHUNK = 1 << 20;

    @RegisterExtension
    final TestFabric testFabric = new TestFabric();

    @Test
    void shouldLendChunksSpreadOverHostsWhoseMemoryTheBorrowerUsesOneSided() throws Exception
    {
        testFabric.expectLeftovers(); // the controller's locator file
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 2, "4MiB");
            Node compute = testFabric.launch();
            PoolClient client = new PoolClient(compute, 10_000))
        {
            final ChildCli hostA = children.hosts().get(0);
            final ChildCli hostB = children.hosts().get(1);
            final List<Chunk> chunks = client.allocate(4, CHUNK);
            assertEquals(4, chunks.size());
            final Set<Integer> hosts = new HashSet<>();
            chunks.forEach(chunk -> hosts.add(chunk.hostNodeId()));
            assertEquals(Set.of(hostA.nodeId(), hostB.nodeId()), hosts, "spread over both hosts");

            final UnsafeBuffer page = new UnsafeBuffer(new byte[4096]);
            for (final Chunk chunk : chunks)
            {
                try (QueuePair qp = compute.connect(chunk.hostNodeId()))
                {
                    final RemoteRegion data = qp.attach(chunk.dataRegion());
                    page.setMemory(0, 4096, (byte)chunk.chunkIndex());
                    qp.write(page, 0, 4096, data, chunk.offsetBytes() + CHUNK - 4096);
                    page.setMemory(0, 4096, (byte)0);
                    qp.read(page, 0, 4096, data, chunk.offsetBytes() + CHUNK - 4096);
                    assertEquals((byte)chunk.chunkIndex(), page.getByte(4095));
                }
            }
            hostA.send("status");
            assertEquals("status free 2 lent 2 reclaiming 0 withdrawn 0", hostA.awaitLineStartingWith("status", 10));
            client.release(chunks);
            awaitStatus(hostA, "status free 4 lent 0 reclaiming 0 withdrawn 0");
        }
    }

    @Test
    void shouldRefuseWhenThePoolIsExhaustedSayingWhatIsFreeWhere() throws Exception
    {
        testFabric.expectLeftovers();
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 1, "2MiB");
            Node compute = testFabric.launch();
            PoolClient client = new PoolClient(compute, 10_000))
        {
            final ChildCli host = children.hosts().get(0);
            client.allocate(1, CHUNK);
            final PoolException ex = assertThrows(PoolException.class, () -> client.allocate(2, CHUNK));
            assertTrue(ex.getMessage().startsWith("pool exhausted: asked for 2 chunks of 1048576 bytes"),
                ex.getMessage());
            assertTrue(ex.getMessage().contains("host " + host.nodeId() + " 1 of 2 chunks"), ex.getMessage());
            final PoolException wrongSize = assertThrows(PoolException.class, () -> client.allocate(1, 2 * CHUNK));
            assertTrue(wrongSize.getMessage().contains("pool exhausted"), wrongSize.getMessage());
        }
    }

    @Test
    void shouldNeverLendAChunkTwiceAcrossAControllerThatIsKilledAndRestarted() throws Exception
    {
        testFabric.expectLeftovers();
        try (ChildCli host = ChildCli.host(testFabric.fabric().directory(), "4MiB");
            Node compute = testFabric.launch();
            PoolClient client = new PoolClient(compute, 10_000))
        {
            final List<Chunk> first;
            try (ChildCli controller = ChildCli.controller(testFabric.fabric().directory()))
            {
                ChildCli.awaitOnline(controller, host);
                first = client.allocate(2, CHUNK);
                controller.kill();
            }
            try (ChildCli restarted = ChildCli.controller(testFabric.fabric().directory()))
            {
                ChildCli.awaitOnline(restarted, host);
                final List<Chunk> second = client.allocate(2, CHUNK);
                final Set<Integer> indices = new HashSet<>();
                first.forEach(chunk -> indices.add(chunk.chunkIndex()));
                second.forEach(chunk -> indices.add(chunk.chunkIndex()));
                assertEquals(4, indices.size(), "the restarted controller lent only chunks that were free");
                assertThrows(PoolException.class, () -> client.allocate(1, CHUNK));
            }
        }
    }

    @Test
    void shouldReturnTheChunksOfABorrowerThatIsKilled() throws Exception
    {
        testFabric.expectLeftovers();
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 1, "4MiB"))
        {
            final ChildCli host = children.hosts().get(0);
            final ChildCli borrower = new ChildCli(BorrowerMain.class, List.of(
                testFabric.fabric().directory().toString(), "3", Integer.toString(CHUNK)));
            awaitStatus(host, "status free 1 lent 3 reclaiming 0 withdrawn 0");
            borrower.kill();
            awaitStatus(host, "status free 4 lent 0 reclaiming 0 withdrawn 0");
        }
    }

    @Test
    void shouldWithdrawFreeChunksAndAskBorrowersToEvacuateLentOnesWhenAHostReclaims() throws Exception
    {
        testFabric.expectLeftovers();
        try (ChildPool children = ChildPool.start(testFabric.fabric().directory(), 1, "4MiB");
            Node compute = Node.launch(new NodeConfig().fabric(testFabric.fabric()));
            PoolClient client = new PoolClient(compute, 10_000))
        {
            final ChildCli host = children.hosts().get(0);
            final List<Chunk> lent = client.allocate(3, CHUNK);
            host.send("reclaim 2MiB");
            host.awaitLineStartingWith("reclaim: asked for 2 chunks back", 10);
            final List<Chunk> evacuate = new ArrayList<>();
            final long deadline = System.currentTimeMillis() + 10_000;
            while (evacuate.isEmpty() && System.currentTimeMillis() < deadline)
            {
                client.poll(evacuate::add);
            }
            assertEquals(1, evacuate.size(), "one free chunk withdrawn at once, one lent chunk to evacuate");
            assertTrue(lent.contains(evacuate.get(0)));
            awaitStatus(host, "status free 0 lent 2 reclaiming 1 withdrawn 1");
            client.release(evacuate);
            awaitStatus(host, "status free 0 lent 2 reclaiming 0 withdrawn 2");
        }
    }

    @Test
    void shouldLendFromTheOtherHostWhenAHostPausedPastTheLivenessTimeoutComesBack() throws Exception
    {
        testFabric.expectLeftovers();
        final Path fabricDirectory = testFabric.fabric().directory();
        try (ChildCli controller = ChildCli.controller(fabricDirectory);
            ChildCli hostA = ChildCli.host(fabricDirectory, "8MiB");
            ChildCli hostB = ChildCli.host(fabricDirectory, "32MiB"))
        {
            ChildCli.awaitOnline(controller, hostA, hostB);
            final ControlFile controlFileB = ControlFile.attach(
                testFabric.fabric().controlFile(hostB.nodeId()), hostB.nodeId(), 0);
            final long pidB = controlFileB.pid();
            signal("STOP", pidB);
            try
            {
                // Stopped until the controller has declared B dead, for good (same process, same id).
                controller.awaitLineStartingWith("host " + hostB.nodeId() + " gone", 30);
            }
            finally
            {
                signal("CONT", pidB);
            }
            // B heartbeats and announces itself again before the compute nodes first judge it: wait for a fresh
            // heartbeat (a resumed process may take a moment on a loaded machine), then for an announcement or two.
            final long resumeDeadlineMs = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() - controlFileB.heartbeatTimeMsAcquire() > 100)
            {
                assertTrue(System.currentTimeMillis() < resumeDeadlineMs, "B did not heartbeat again in 10 s");
                Thread.sleep(10);
            }
            Thread.sleep(2 * MemoryHost.ANNOUNCE_INTERVAL_MS); // best effort: B's announcements are not observable

            try (Node first = testFabric.launch();
                PoolClient firstClient = new PoolClient(first, 5_000);
                Node second = testFabric.launch();
                PoolClient secondClient = new PoolClient(second, 5_000))
            {
                // The compute nodes see B alive, so only the controller can keep B's chunks from them.
                assertEquals(PeerState.ALIVE, first.peerState(hostB.nodeId()), "B is alive to a node started now");
                final List<Chunk> firstChunks = firstClient.allocate(4, CHUNK);
                final List<Chunk> secondChunks = secondClient.allocate(4, CHUNK);
                for (final Chunk chunk : Stream.concat(firstChunks.stream(), secondChunks.stream()).toList())
                {
                    assertEquals(hostA.nodeId(), chunk.hostNodeId(), chunk + ": lent from the host that stayed up");
                }
                final PoolException exhausted =
                    assertThrows(PoolException.class, () -> secondClient.allocate(1, CHUNK));
                assertTrue(exhausted.getMessage().startsWith("pool exhausted"), exhausted.getMessage());
                assertTrue(exhausted.getMessage().contains("not lent from: hosts [" + hostB.nodeId() + "]"),
                    exhausted.getMessage());
                awaitStatus(hostA, "status free 0 lent 8 reclaiming 0 withdrawn 0");
                awaitStatus(hostB, "status free 32 lent 0 reclaiming 0 withdrawn 0");
            }
        }
    }


    private static void signal(final String signal, final long pid) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }

    private static void awaitStatus(final ChildCli host, final String expected) throws InterruptedException
    {
        String last = null;
        final long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline)
        {
            host.send("status");
            last = host.awaitLineStartingWith("status", 10);
            if (expected.equals(last))
            {
                return;
            }
            Thread.sleep(50);
        }
        assertEquals(expected, last);
    }
}
