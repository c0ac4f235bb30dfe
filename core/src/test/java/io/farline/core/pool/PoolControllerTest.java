package io.farline.core.pool;

import io.farline.transport.AccessFlags;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.PeerState;
import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import io.farline.transport.RegisteredRegion;
import io.farline.transport.TestFabric;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.SemanticVersion;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static io.farline.core.pool.ChunkTableDescriptor.CHUNK_COUNT_OFFSET;
import static io.farline.core.pool.ChunkTableDescriptor.CHUNK_HOST_NODE_ID_OFFSET;
import static io.farline.core.pool.ChunkTableDescriptor.CHUNK_LAYOUT_VERSION;
import static io.farline.core.pool.ChunkTableDescriptor.CHUNK_LAYOUT_VERSION_OFFSET;
import static io.farline.core.pool.ChunkTableDescriptor.CHUNK_MAGIC;
import static io.farline.core.pool.ChunkTableDescriptor.CHUNK_MAGIC_OFFSET;
import static io.farline.core.pool.ChunkTableDescriptor.CHUNK_MAJOR_VERSION;
import static io.farline.core.pool.ChunkTableDescriptor.CHUNK_SIZE_OFFSET;
import static io.farline.core.pool.ChunkTableDescriptor.STATE_FREE;
import static io.farline.core.pool.ChunkTableDescriptor.STATE_LENT;
import static io.farline.core.pool.ChunkTableDescriptor.maxTableLengthBytes;
import static io.farline.core.pool.ChunkTableDescriptor.tableLengthBytes;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller in this JVM, every duty cycle driven by the test, so that a host can be declared dead by the
 * controller's node <em>before</em> the controller has handled the death: the window in which its verbs on the host
 * fail with {@code PEER_DEAD}. Host A donates 4 chunks and host B 2, so that A lends first; B "pauses" when the test
 * stops driving its node, and the controller's node declares it dead a second later (host A heartbeats from its own
 * thread, and must not be taken for dead in a stall of a loaded machine). The other nodes judge their
 * peers with a long timeout, so that a stall of the test thread, which heartbeats for the controller, is not taken
 * for the controller's death.
 */
class PoolControllerTest
{
    private static final int CHUNK = 64 * 1024;
    private static final long CONTROLLER_LIVENESS_TIMEOUT_MS = 1_000;
    private static final long LIVENESS_TIMEOUT_MS = 10_000;

    @RegisterExtension
    final TestFabric testFabric = new TestFabric();

    private final List<Throwable> reported = new CopyOnWriteArrayList<>();
    private final MutableDirectBuffer message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 64));
    private Node controllerNode;
    private PoolController controller;
    private Node hostANode;
    private MemoryHost hostA;
    private Node hostBNode;
    private MemoryHost hostB;
    private boolean hostBRunning = true;
    private Node compute;
    private QueuePair computeToController;
    private long nextRequestId = 1;
    private Reply reply;

    @BeforeEach
    void startPool() throws InterruptedException
    {
        testFabric.expectLeftovers(); // the controller's locator file
        controllerNode = testFabric.launch(config().conductorThread(false).livenessTimeoutMs(
            CONTROLLER_LIVENESS_TIMEOUT_MS));
        controller = PoolController.start(controllerNode, reported::add);
        hostANode = testFabric.launch(config());
        hostA = MemoryHost.start(hostANode, 4L * CHUNK, CHUNK);
        hostBNode = testFabric.launch(config().conductorThread(false));
        hostB = MemoryHost.start(hostBNode, 2L * CHUNK, CHUNK);
        compute = testFabric.launch(config());
        computeToController = compute.connect(controllerNode.nodeId());
        final long warmAtMs = System.currentTimeMillis() + PoolController.WARM_UP_MS;
        driveUntil(() -> controller.hostCount() == 2 && System.currentTimeMillis() - warmAtMs > 0, true);
    }

    @AfterEach
    void closePool()
    {
        computeToController.close();
        controller.close();
        hostA.close();
        hostB.close();
        compute.close();
        hostBNode.close();
        hostANode.close();
        controllerNode.close();
    }

    @Test
    void shouldLendFromTheOtherHostWhenAHostIsFoundDeadDuringAnAllocation() throws InterruptedException
    {
        pauseHostB();
        send(PoolMessages.encodeAllocate(message, nextRequestId, 4, CHUNK, 0, new int[0]));
        final Reply granted = oneDutyCycleAnswers();
        assertEquals(PoolMessages.GRANTED, granted.type, granted.toString());
        assertEquals(4, granted.chunks.size());
        for (final Chunk chunk : granted.chunks)
        {
            assertEquals(hostA.nodeId(), chunk.hostNodeId(), chunk + ": lent from the host that is alive");
        }
        assertEquals(4, hostA.chunksIn(STATE_LENT));
        assertEquals(2, hostB.chunksIn(STATE_FREE));
        assertEquals(Set.of(hostA.nodeId()), controller.hostIds());

        // B resumes and announces itself again: it stays out of the pool, and that is said once.
        hostBRunning = true;
        final long announcedAtMs = System.currentTimeMillis() + 3 * MemoryHost.ANNOUNCE_INTERVAL_MS;
        driveUntil(() -> System.currentTimeMillis() - announcedAtMs > 0, true);
        assertTrue(hostB.announcements() >= 2, "B announced itself " + hostB.announcements() + " times");
        assertEquals(Set.of(hostA.nodeId()), controller.hostIds());
        final String announcedDead = "host " + hostB.nodeId() + " announced itself";
        assertEquals(1, reported.stream().filter(ex -> String.valueOf(ex.getMessage()).startsWith(announcedDead))
            .count(), reported.toString());

        send(PoolMessages.encodeAllocate(message, nextRequestId, 1, CHUNK, 0, new int[0]));
        final Reply refused = driveUntilAnswered();
        assertEquals(PoolMessages.REFUSED, refused.type, refused.toString());
        assertTrue(refused.reason.startsWith("pool exhausted"), refused.reason);
        assertTrue(refused.reason.contains("not lent from: hosts [" + hostB.nodeId() + "], declared dead"),
            refused.reason);
    }

    @Test
    void shouldLendFromAHostDeclaredDeadOnceItIsRestartedEvenUnderItsNodeId() throws InterruptedException
    {
        pauseHostB();
        driveUntil(() -> controller.hostIds().equals(Set.of(hostA.nodeId())), true);
        final int hostBNodeId = hostB.nodeId();
        hostB.close();
        hostBNode.close(); // the stalled process ends, and its node id is free
        hostBNode = testFabric.launch(config().conductorThread(false).nodeId(hostBNodeId));
        hostB = MemoryHost.start(hostBNode, 2L * CHUNK, CHUNK);
        hostBRunning = true;
        driveUntil(() -> controller.hostIds().contains(hostBNodeId), true);
        assertEquals(6, allocateFromBothHosts().size());
        assertEquals(0, hostB.chunksIn(STATE_FREE));
    }

    @Test
    void shouldGiveBackWhatItTookAndRefuseWhenTheHostsLeftCannotServeAnAllocation() throws InterruptedException
    {
        pauseHostB();
        send(PoolMessages.encodeAllocate(message, nextRequestId, 5, CHUNK, 0, new int[0]));
        final Reply refused = oneDutyCycleAnswers();
        assertEquals(PoolMessages.REFUSED, refused.type, refused.toString());
        assertTrue(refused.reason.startsWith("pool exhausted: asked for 5 chunks"), refused.reason);
        assertEquals(4, hostA.chunksIn(STATE_FREE), "the chunks lent on A before B failed are free again");
        assertEquals(0, controller.grantedChunks());
    }

    @Test
    void shouldFreeTheReleasedChunksOfTheOtherHostsWhenOneHostIsDead() throws InterruptedException
    {
        final List<Chunk> chunks = allocateFromBothHosts();
        pauseHostB();
        final List<Chunk> hostBFirst = new ArrayList<>(chunks);
        hostBFirst.sort((a, b) -> Boolean.compare(a.hostNodeId() != hostB.nodeId(), b.hostNodeId() != hostB.nodeId()));
        send(PoolMessages.encodeChunkRefs(message, PoolMessages.RELEASE, hostBFirst));
        controller.doWork();
        assertEquals(4, hostA.chunksIn(STATE_FREE), "A's chunks, listed after B's, are free");
    }

    @Test
    void shouldFreeADeadBorrowersChunksOnTheOtherHostsWhenOneOfItsHostsIsDeadToo() throws InterruptedException
    {
        allocateFromBothHosts();
        final Set<Integer> closed = ConcurrentHashMap.newKeySet();
        controllerNode.addPeerListener((nodeId, previous, current, why) ->
        {
            if (current == PeerState.CLOSED)
            {
                closed.add(nodeId);
            }
        });
        hostBRunning = false;
        computeToController.close();
        compute.close();
        // The borrower's death reaches the controller before B's: the controller meets B while freeing its chunks.
        driveUntil(() -> closed.contains(compute.nodeId()), false);
        driveUntil(() -> controllerNode.peerState(hostB.nodeId()) == PeerState.DEAD, false);
        assertDoesNotThrow(controller::doWork);
        assertEquals(4, hostA.chunksIn(STATE_FREE));
        assertEquals(4, controller.chunksFreedFromDeadBorrowers());
    }

    @Test
    void shouldRefuseAnAdoptionWithAChunkOnADeadHostAndLeaveTheOthersParked() throws InterruptedException
    {
        final List<Chunk> chunks = allocateFromBothHosts();
        send(PoolMessages.encodeRequestChunkRefs(message, PoolMessages.PARK, nextRequestId, chunks));
        assertEquals(6, driveUntilAnswered().parked);
        pauseHostB();
        final List<Chunk> hostAFirst = new ArrayList<>(chunks);
        hostAFirst.sort((a, b) -> Boolean.compare(a.hostNodeId() != hostA.nodeId(), b.hostNodeId() != hostA.nodeId()));
        send(PoolMessages.encodeRequestChunkRefs(message, PoolMessages.ADOPT, nextRequestId, hostAFirst));
        final Reply refused = oneDutyCycleAnswers();
        assertEquals(PoolMessages.REFUSED, refused.type, refused.toString());
        assertTrue(refused.reason.contains("host " + hostB.nodeId() + " of chunk"), refused.reason);
        assertTrue(refused.reason.endsWith("is dead"), refused.reason);

        final List<Chunk> onHostA = hostAFirst.subList(0, 4);
        send(PoolMessages.encodeRequestChunkRefs(message, PoolMessages.ADOPT, nextRequestId, onHostA));
        final Reply adopted = driveUntilAnswered();
        assertEquals(PoolMessages.GRANTED, adopted.type, "A's chunks were left parked: " + adopted);
        assertEquals(onHostA, adopted.chunks);
    }

    @Test
    void shouldNotAskForAParkedChunkBackAndLetItBeAdoptedWhileItsHostReclaims() throws InterruptedException
    {
        final List<Chunk> chunks = allocateFromBothHosts();
        final List<Chunk> onHostB = chunks.stream().filter(chunk -> chunk.hostNodeId() == hostB.nodeId()).toList();
        send(PoolMessages.encodeRequestChunkRefs(message, PoolMessages.PARK, nextRequestId, onHostB));
        assertEquals(2, driveUntilAnswered().parked);

        // B wants both its chunks back: they are parked, lent to no node, so nobody could move them.
        hostB.requestReclaim(2L * CHUNK);
        final long handledAtMs = System.currentTimeMillis() + 3 * MemoryHost.ANNOUNCE_INTERVAL_MS;
        driveUntil(() -> System.currentTimeMillis() - handledAtMs > 0, true);
        assertEquals(0, hostB.chunksIn(ChunkTableDescriptor.STATE_RECLAIMING), "a parked chunk was asked back");
        assertEquals(2, hostB.chunksIn(STATE_LENT));

        send(PoolMessages.encodeRequestChunkRefs(message, PoolMessages.ADOPT, nextRequestId, onHostB));
        final Reply adopted = driveUntilAnswered();
        assertEquals(PoolMessages.GRANTED, adopted.type, "the parked chunks were left adoptable: " + adopted);
        assertEquals(onHostB, adopted.chunks);
    }

    @Test
    void shouldRefuseABadChunkTableOncePerReasonAndGoOnLendingFromItsHosts() throws InterruptedException
    {
        // The compute node poses as a host, and announces a table that is wrong in each way it can be in turn.
        final int self = compute.nodeId();
        try (RegisteredRegion table = compute.registerRegion(tableLengthBytes(4),
            AccessFlags.LOCAL_WRITE | AccessFlags.REMOTE_READ | AccessFlags.REMOTE_ATOMIC))
        {
            final AtomicBuffer header = table.buffer();
            final RegionHandle handle = table.handle();
            announceAndExpectRefusal(handle, "no chunk table magic");
            header.putLong(CHUNK_MAGIC_OFFSET, CHUNK_MAGIC);
            header.putInt(CHUNK_LAYOUT_VERSION_OFFSET, SemanticVersion.compose(CHUNK_MAJOR_VERSION + 1, 0, 0));
            announceAndExpectRefusal(handle, "layout version " + (CHUNK_MAJOR_VERSION + 1) + ".0.0, this code " +
                "reads major " + CHUNK_MAJOR_VERSION);
            header.putInt(CHUNK_LAYOUT_VERSION_OFFSET, CHUNK_LAYOUT_VERSION);
            header.putInt(CHUNK_HOST_NODE_ID_OFFSET, self + 1);
            announceAndExpectRefusal(handle, "it names host " + (self + 1));
            header.putInt(CHUNK_HOST_NODE_ID_OFFSET, self);
            header.putInt(CHUNK_SIZE_OFFSET, CHUNK);
            header.putInt(CHUNK_COUNT_OFFSET, 1000);
            announceAndExpectRefusal(handle, "1000 chunks need a table of " + tableLengthBytes(1000) +
                " bytes, it has " + handle.lengthBytes());
            // The same table announced again, as a host does every interval, is not reported again (the next
            // refusal's report says that this announcement has been handled).
            send(PoolMessages.encodeHostOnline(message, handle));

            // Lengths are checked before the controller allocates a snapshot of the announced size.
            final long beyondRegion = table.lengthBytes() + 8L;
            announceAndExpectRefusal(new RegionHandle(self, handle.regionId(), handle.rkey(), beyondRegion),
                "its announced length of " + beyondRegion + " bytes is longer than its region, " +
                table.lengthBytes() + " bytes");
            announceAndExpectRefusal(new RegionHandle(self, handle.regionId(), handle.rkey(), 1L << 40),
                "its announced length of " + (1L << 40) + " bytes is outside " + tableLengthBytes(1) + ".." +
                maxTableLengthBytes());
            announceAndExpectRefusal(new RegionHandle(self, handle.regionId(), handle.rkey(), 8),
                "its announced length of 8 bytes is outside " + tableLengthBytes(1) + ".." + maxTableLengthBytes());
            final String tooMany = "host " + self + " announced a bad chunk table: 1000 chunks";
            assertEquals(1, reported.stream().filter(ex -> String.valueOf(ex.getMessage()).startsWith(tooMany))
                .count(), reported.toString());
        }
        assertEquals(Set.of(hostA.nodeId(), hostB.nodeId()), controller.hostIds());
        assertEquals(6, allocateFromBothHosts().size());
    }

    private static NodeConfig config()
    {
        return new NodeConfig().heartbeatIntervalMs(20).livenessTimeoutMs(LIVENESS_TIMEOUT_MS);
    }

    /**
     * The compute node announces {@code table} as its chunk table, and the controller must report it refused for
     * {@code problem}. A host's messages arrive in order, so every announcement before this one has been handled.
     */
    private void announceAndExpectRefusal(final RegionHandle table, final String problem) throws InterruptedException
    {
        final String expected = "host " + compute.nodeId() + " announced a bad chunk table: " + problem;
        send(PoolMessages.encodeHostOnline(message, table));
        driveUntil(() -> reported.stream().anyMatch(ex -> expected.equals(ex.getMessage())), true);
    }

    private List<Chunk> allocateFromBothHosts() throws InterruptedException
    {
        send(PoolMessages.encodeAllocate(message, nextRequestId, 6, CHUNK, 0, new int[0]));
        final Reply granted = driveUntilAnswered();
        assertEquals(PoolMessages.GRANTED, granted.type, granted.toString());
        return granted.chunks;
    }

    /**
     * Stops driving B, and drives the controller's node (not the controller) until it has declared B dead: the
     * controller still counts B among its hosts. The compute node still sees B alive.
     */
    private void pauseHostB() throws InterruptedException
    {
        hostBRunning = false;
        driveUntil(() -> controllerNode.peerState(hostB.nodeId()) == PeerState.DEAD, false);
        assertTrue(controller.hostIds().contains(hostB.nodeId()), "the controller has not handled B's death yet");
        assertEquals(PeerState.ALIVE, compute.peerState(hostB.nodeId()));
    }

    /**
     * Runs one controller duty cycle, which receives the request before it handles B's death, and expects the answer
     * from it alone.
     */
    private Reply oneDutyCycleAnswers() throws InterruptedException
    {
        controller.doWork();
        final long deadlineMs = System.currentTimeMillis() + 2_000;
        driveUntil(() -> null != reply || System.currentTimeMillis() - deadlineMs > 0, false);
        assertNotNull(reply, "no answer from the duty cycle that received the request");
        return reply;
    }

    private Reply driveUntilAnswered() throws InterruptedException
    {
        final long deadlineMs = System.currentTimeMillis() + 5_000;
        driveUntil(() -> null != reply || System.currentTimeMillis() - deadlineMs > 0, true);
        assertNotNull(reply, "no answer in 5 s");
        return reply;
    }

    private void send(final int length)
    {
        reply = null;
        nextRequestId++;
        assertEquals(QueuePair.OK, PoolSends.send(computeToController, message, length, 1_000));
    }

    /**
     * Drives every node's duty cycle but B's while it is paused, and the controller's only if asked to, and receives
     * the compute node's messages, until {@code done}.
     */
    private void driveUntil(final BooleanSupplier done, final boolean controllerToo) throws InterruptedException
    {
        final long deadlineMs = System.currentTimeMillis() + 10_000;
        while (!done.getAsBoolean())
        {
            assertTrue(System.currentTimeMillis() - deadlineMs < 0, "not done in 10 s");
            controllerNode.doConductorWork();
            hostA.doWork();
            if (hostBRunning)
            {
                hostBNode.doConductorWork();
                hostB.doWork();
            }
            if (controllerToo)
            {
                controller.doWork();
            }
            if (!compute.isClosed())
            {
                compute.receive(this::onReply, 16);
            }
            Thread.sleep(1);
        }
    }

    private void onReply(final int sender, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final Reply received = new Reply(PoolMessages.type(buffer, offset, length));
        switch (received.type)
        {
            case PoolMessages.GRANTED:
                for (int i = 0; i < PoolMessages.grantCount(buffer, offset, length); i++)
                {
                    received.chunks.add(PoolMessages.decodeGrant(buffer, offset, i));
                }
                break;
            case PoolMessages.REFUSED:
                received.reason = PoolMessages.decodeRefusedReason(buffer, offset, length);
                break;
            case PoolMessages.PARKED:
                received.parked = buffer.getInt(offset + PoolMessages.COUNT_OFFSET);
                break;
            default:
                return;
        }
        reply = received;
    }

    private static final class Reply
    {
        final int type;
        final List<Chunk> chunks = new ArrayList<>();
        String reason;
        int parked = -1;

        Reply(final int type)
        {
            this.type = type;
        }

        @Override
        public String toString()
        {
            return "reply type " + type + (null != reason ? ": " + reason : "") + " " + chunks;
        }
    }
}
