package io.farline.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real child JVMs on one machine: verbs both ways, contended atomics, a million SENDs to a slow consumer, and
 * death by SIGKILL and by a stopped process.
 */
class MultiProcessTest
{
    @RegisterExtension
    final TestFabric fabric = new TestFabric();

    private final UnsafeBuffer local = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));

    @Test
    void shouldWriteReadCasAndFetchAddOnEachOthersRegions()
    {
        try (Node parent = fabric.launch())
        {
            final RegisteredRegion region = parent.registerRegion(1 << 16, AccessFlags.ALL);
            region.buffer().putLong(8, 100);
            final RegionHandle h = region.handle();
            try (ChildProcess child = new ChildProcess(fabric.fabric(), "verbs", "" + h.nodeId(), "" + h.regionId(),
                "" + h.rkey(), "" + h.lengthBytes()))
            {
                // Parent's verbs on the child's region, while the child does its verbs on ours.
                final QueuePair qp = parent.connect(child.nodeId());
                final RemoteRegion remote = qp.attach(child.handle());
                qp.read(local, 0, 1024, remote, 0);
                for (int i = 0; i < 1024; i++)
                {
                    assertEquals((byte)(i * 7), local.getByte(i), "child's initial pattern at " + i);
                }
                local.putLong(0, 0xFEEDL);
                qp.write(local, 0, 8, remote, 2048);
                qp.read(local, 8, 8, remote, 2048);
                assertEquals(0xFEEDL, local.getLong(8));
                assertEquals(0, qp.compareAndSwap(remote, 4096, 0, 77));
                assertEquals(77, qp.fetchAndAdd(remote, 4096, 3));
                assertEquals(80, qp.fetchAndAdd(remote, 4096, 0));

                assertEquals("DONE 100", child.awaitDone(), "child's fetch-and-add saw our 100");
                assertEquals(0x1234, region.buffer().getLongVolatile(0), "child's CAS");
                assertEquals(105, region.buffer().getLongVolatile(8), "child's fetch-and-add");
                for (int i = 0; i < 4096; i++)
                {
                    assertEquals((byte)(i ^ 0x5A), region.buffer().getByte(4096 + i), "child's WRITE at " + i);
                }
            }
        }
    }

    @Test
    void shouldCountTwoMillionFetchAddsFromTwoProcessesExactly()
    {
        try (Node parent = fabric.launch())
        {
            final RegisteredRegion region = parent.registerRegion(4096, AccessFlags.ALL);
            final RegionHandle h = region.handle();
            final String[] args = { "fetch-add", "" + h.nodeId(), "" + h.regionId(), "" + h.rkey(),
                "" + h.lengthBytes(), "1000000" };
            try (ChildProcess a = new ChildProcess(fabric.fabric(), args);
                ChildProcess b = new ChildProcess(fabric.fabric(), args))
            {
                a.awaitDone();
                b.awaitDone();
                assertEquals(2_000_000L, region.buffer().getLongVolatile(0));
            }
        }
    }

    @Test
    void shouldDeliverOneMillionSendsToASlowConsumerCompleteAndInOrder()
    {
        final int count = 1_000_000;
        try (Node parent = fabric.launch(new NodeConfig().inboxCapacityBytes(4096));
            ChildProcess child = new ChildProcess(fabric.fabric(), "send", "" + parent.nodeId(), "" + count))
        {
            final long[] next = { 0 };
            final int[] badSender = { 0 };
            while (next[0] < count)
            {
                parent.receive((senderId, buffer, index, length) ->
                {
                    if (senderId != child.nodeId() || length != 16)
                    {
                        badSender[0]++;
                    }
                    assertEquals(next[0], buffer.getLong(index), "message order");
                    assertEquals(~next[0], buffer.getLong(index + 8), "message body");
                    next[0]++;
                }, 128);
                // A slow consumer: it pauses after every batch, so the child's sends keep meeting a full inbox (4 KiB,
                // about a hundred messages) and must retry, never drop.
                LockSupport.parkNanos(20_000);
            }
            final String done = child.awaitDone();
            assertEquals(0, badSender[0]);
            assertEquals(count, next[0]);
            final long backPressured = Long.parseLong(done.substring(done.lastIndexOf(' ') + 1));
            assertTrue(backPressured > 0, "the consumer was slow enough to push back: " + done);
        }
    }

    @Test
    void shouldDeclareAKilledPeerDeadWithinTheTimeoutAndStillReadItsRegion() throws Exception
    {
        fabric.expectLeftovers();
        final long timeoutMs = 1000;
        try (Node parent = fabric.launch(new NodeConfig().livenessTimeoutMs(timeoutMs).heartbeatIntervalMs(50)))
        {
            final ChildProcess child = new ChildProcess(fabric.fabric(), "serve");
            final BlockingQueue<String> events = deathReasons(parent, child.nodeId());
            final QueuePair qp = parent.connect(child.nodeId());
            assertEquals(PeerState.ALIVE, qp.peerState());
            final RemoteRegion remote = qp.attach(child.handle());
            local.putLong(0, 0xDEADBEEFL);
            qp.write(local, 0, 8, remote, 4096);

            final long killedAtNs = System.nanoTime();
            child.kill();
            final String reason = events.poll(5, TimeUnit.SECONDS);
            final long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAtNs);
            assertNotNull(reason, "no DEAD event");
            assertTrue(detectedMs <= timeoutMs, "declared dead after " + detectedMs + " ms: " + reason);
            assertEquals(PeerState.DEAD, qp.peerState());

            final UnsafeBuffer after = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
            qp.read(after, 0, 1024, remote, 0);
            for (int i = 0; i < 1024; i++)
            {
                assertEquals((byte)(i * 7), after.getByte(i), "dead node's region at " + i);
            }
            qp.read(after, 1024, 8, remote, 4096);
            assertEquals(0xDEADBEEFL, after.getLong(1024), "our last write to the dead node");
            final VerbException write = assertThrows(VerbException.class, () -> qp.write(local, 0, 8, remote, 0));
            assertEquals(CompletionStatus.PEER_DEAD, write.status());
            assertEquals(QueuePair.PEER_DEAD, qp.send(local, 0, 8));

            final QueuePair fresh = parent.connect(child.nodeId());
            assertEquals(PeerState.DEAD, fresh.peerState(), "a new queue pair to the dead node knows it is dead");
            fresh.read(after, 0, 8, fresh.attach(child.handle()), 4096);
            assertEquals(0xDEADBEEFL, after.getLong(0), "files stay readable until clean");

            final List<String> removed = fabric.fabric().clean(timeoutMs);
            assertEquals(List.of("node-" + child.nodeId() + ".ctl",
                "node-" + child.nodeId() + ".region-1.mr"), removed.stream().sorted().toList());
        }
    }

    @Test
    void shouldDeliverWhatAKilledSenderSentThenRetireItsLane() throws Exception
    {
        fabric.expectLeftovers();
        final int count = 500;
        try (Node parent = fabric.launch(new NodeConfig().livenessTimeoutMs(1000).heartbeatIntervalMs(50)))
        {
            final ChildProcess child = new ChildProcess(fabric.fabric(), "send", "" + parent.nodeId(), "" + count);
            final BlockingQueue<String> deaths = deathReasons(parent, child.nodeId());
            assertTrue(child.awaitDone().startsWith("DONE " + count), "the child sent everything before the kill");
            child.kill();
            assertNotNull(deaths.poll(5, TimeUnit.SECONDS), "no DEAD event");

            final Path lane = fabric.fabric().laneFile(child.nodeId(), 1, parent.nodeId());
            assertTrue(Files.exists(lane), "the lane outlives its sender until drained");
            final long[] next = { 0 };
            while (next[0] < count)
            {
                parent.receive((senderId, buffer, index, length) ->
                {
                    assertEquals(child.nodeId(), senderId);
                    assertEquals(next[0], buffer.getLong(index), "message order");
                    next[0]++;
                }, 64);
            }
            assertEquals(0, parent.receive((senderId, buffer, index, length) -> { }, 64));
            assertFalse(Files.exists(lane), "drained, and its sender dead: the receiver deleted it");
            assertEquals(0, parent.inboundLaneCount());
        }
    }

    @Test
    void shouldDeclareAStoppedPeerDeadByHeartbeatTimeout() throws Exception
    {
        fabric.expectLeftovers();
        final long timeoutMs = 500;
        try (Node parent = fabric.launch(new NodeConfig().livenessTimeoutMs(timeoutMs).heartbeatIntervalMs(50)))
        {
            final ChildProcess child = new ChildProcess(fabric.fabric(), "serve");
            final BlockingQueue<String> events = deathReasons(parent, child.nodeId());
            assertEquals(PeerState.ALIVE, parent.peerState(child.nodeId()));
            signal("STOP", child.process().pid());
            try
            {
                final String reason = events.poll(10, TimeUnit.SECONDS);
                assertNotNull(reason, "no DEAD event for a stopped process");
                assertTrue(reason.contains("heartbeat"), reason);
                assertTrue(child.process().isAlive(), "the process exists; only its heartbeat stopped");
            }
            finally
            {
                signal("CONT", child.process().pid());
                child.kill();
            }
        }
    }

    /**
     * @return a queue that receives the reason each time the parent declares the node dead.
     */
    private static BlockingQueue<String> deathReasons(final Node parent, final int nodeId)
    {
        final BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
        parent.addPeerListener((peerNodeId, previous, current, reason) ->
        {
            if (peerNodeId == nodeId && current == PeerState.DEAD)
            {
                reasons.add(reason);
            }
        });
        return reasons;
    }

    private static void signal(final String signal, final long pid) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }
}
