package io.farline.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueuePairTest
{
    @RegisterExtension
    final TestFabric fabric = new TestFabric();

    private final UnsafeBuffer local = new UnsafeBuffer(ByteBuffer.allocateDirect(8192));

    @Test
    void shouldWriteThenReadBackOnTheSameQueuePair()
    {
        try (Node owner = fabric.launch(); Node peer = fabric.launch())
        {
            final RegisteredRegion region = owner.registerRegion(1 << 16, AccessFlags.ALL);
            final QueuePair qp = peer.connect(owner.nodeId());
            final RemoteRegion remote = qp.attach(region.handle());
            for (int i = 0; i < 4096; i++)
            {
                local.putByte(i, (byte)i);
            }
            qp.write(local, 0, 4096, remote, 8192);
            assertEquals((byte)17, region.buffer().getByte(8192 + 17));

            local.setMemory(0, 4096, (byte)0);
            qp.read(local, 0, 4096, remote, 8192);
            for (int i = 0; i < 4096; i++)
            {
                assertEquals((byte)i, local.getByte(i));
            }
        }
    }

    @Test
    void shouldCompareAndSwapAndFetchAndAdd()
    {
        try (Node owner = fabric.launch(); Node peer = fabric.launch())
        {
            final RegisteredRegion region = owner.registerRegion(4096, AccessFlags.ALL);
            final QueuePair qp = peer.connect(owner.nodeId());
            final RemoteRegion remote = qp.attach(region.handle());
            assertEquals(0, qp.compareAndSwap(remote, 64, 0, 42));
            assertEquals(42, qp.compareAndSwap(remote, 64, 0, 7), "failed swap returns the value found");
            assertEquals(42, region.buffer().getLong(64));
            assertEquals(42, qp.fetchAndAdd(remote, 64, 8));
            assertEquals(50, region.buffer().getLongVolatile(64));
        }
    }

    @Test
    void shouldCompleteInPostingOrderWithWorkRequestIds()
    {
        try (Node owner = fabric.launch(); Node peer = fabric.launch())
        {
            final RegisteredRegion region = owner.registerRegion(4096, AccessFlags.ALL);
            final QueuePair qp = peer.connect(owner.nodeId(), new CompletionQueue(8));
            final RemoteRegion remote = qp.attach(region.handle());
            assertEquals(QueuePair.OK, qp.postWrite(1, local, 0, 64, remote, 0));
            assertEquals(QueuePair.OK, qp.postFetchAndAdd(2, remote, 0, 1));
            assertEquals(QueuePair.OK, qp.postRead(3, local, 0, 64, remote, 4096));
            final List<String> seen = new ArrayList<>();
            qp.completionQueue().poll((wrId, verb, status, result) ->
                seen.add(wrId + ":" + verb + ":" + CompletionStatus.name(status)), 10);
            assertEquals(List.of("1:WRITE:SUCCESS", "2:FETCH_AND_ADD:SUCCESS", "3:READ:REMOTE_INVALID_REQUEST"), seen);
        }
    }

    @Test
    void shouldReturnQueueFullWhenCompletionQueueIsFull()
    {
        try (Node owner = fabric.launch(); Node peer = fabric.launch())
        {
            final RegisteredRegion region = owner.registerRegion(4096, AccessFlags.ALL);
            final QueuePair qp = peer.connect(owner.nodeId(), new CompletionQueue(2));
            final RemoteRegion remote = qp.attach(region.handle());
            assertEquals(QueuePair.OK, qp.postFetchAndAdd(1, remote, 0, 1));
            assertEquals(QueuePair.OK, qp.postFetchAndAdd(2, remote, 0, 1));
            assertEquals(QueuePair.QUEUE_FULL, qp.postFetchAndAdd(3, remote, 0, 1));
            assertEquals(2, region.buffer().getLong(0), "a refused post does nothing");
            assertEquals(2, qp.completionQueue().poll((wrId, verb, status, result) -> { }, 10));
            assertEquals(QueuePair.OK, qp.postFetchAndAdd(3, remote, 0, 1));
        }
    }

    @Test
    void shouldFailWithRemoteAccessErrorWhenRkeyIsWrong()
    {
        try (Node owner = fabric.launch(); Node peer = fabric.launch())
        {
            final RegisteredRegion region = owner.registerRegion(4096, AccessFlags.ALL);
            final QueuePair qp = peer.connect(owner.nodeId());
            final RegionHandle h = region.handle();
            final RemoteRegion forged = qp.attach(new RegionHandle(h.nodeId(), h.regionId(), h.rkey() + 1, 4096));
            final VerbException ex = assertThrows(VerbException.class, () -> qp.write(local, 0, 8, forged, 0));
            assertEquals(CompletionStatus.REMOTE_ACCESS_ERROR, ex.status());
            assertTrue(ex.getMessage().contains("rkey"), ex.getMessage());
            assertEquals(0, region.buffer().getLong(0), "nothing written");
        }
    }

    @Test
    void shouldFailWithPeerDeadOnTheRegionsOfAPeerThatClosedBeforeThisNodeNoticed()
    {
        // No conductor thread: this node judges its peers only when asked, so it still thinks the owner alive.
        try (Node peer = fabric.launch(new NodeConfig().conductorThread(false)))
        {
            final Node owner = fabric.launch();
            final RegisteredRegion region = owner.registerRegion(4096, AccessFlags.ALL);
            final QueuePair qp = peer.connect(owner.nodeId());
            final RemoteRegion remote = qp.attach(region.handle());
            owner.close();
            assertEquals(PeerState.ALIVE, peer.peerState(owner.nodeId()), "the conductor has not judged it yet");
            assertEquals(PeerState.CLOSED, qp.peerState(), "the queue pair reads the close from the control file");
            for (final Runnable verb : List.<Runnable>of(() -> qp.read(local, 0, 8, remote, 0),
                () -> qp.write(local, 0, 8, remote, 0), () -> qp.fetchAndAdd(remote, 0, 1)))
            {
                final VerbException ex = assertThrows(VerbException.class, verb::run);
                assertEquals(CompletionStatus.PEER_DEAD, ex.status(), ex.getMessage());
                assertTrue(ex.getMessage().contains("has closed"), ex.getMessage());
            }
            final long deadlineMs = System.currentTimeMillis() + 10_000;
            while (peer.peerState(owner.nodeId()) == PeerState.ALIVE && System.currentTimeMillis() < deadlineMs)
            {
                peer.doConductorWork(); // judges peers once its interval has passed
                Thread.onSpinWait();
            }
            assertEquals(PeerState.CLOSED, peer.peerState(owner.nodeId()));
        }
    }

    @Test
    void shouldFailWithRemoteAccessErrorAfterDeregistration()
    {
        try (Node owner = fabric.launch(); Node peer = fabric.launch())
        {
            final RegisteredRegion region = owner.registerRegion(4096, AccessFlags.ALL);
            final QueuePair qp = peer.connect(owner.nodeId());
            final RegionHandle handle = region.handle();
            final RemoteRegion remote = qp.attach(handle);
            region.close();
            final VerbException ex = assertThrows(VerbException.class, () -> qp.read(local, 0, 8, remote, 0));
            assertEquals(CompletionStatus.REMOTE_ACCESS_ERROR, ex.status());
            assertTrue(ex.getMessage().contains("deregistered"), ex.getMessage());
            final QueuePair other = peer.connect(owner.nodeId());
            final FabricFileException missing = assertThrows(FabricFileException.class, () -> other.attach(handle));
            assertTrue(missing.getMessage().contains("no such region file"), missing.getMessage());
        }
    }

    @Test
    void shouldFailWithInvalidRequestWhenOutOfRange()
    {
        try (Node owner = fabric.launch(); Node peer = fabric.launch())
        {
            final RegisteredRegion region = owner.registerRegion(4096, AccessFlags.ALL);
            final QueuePair qp = peer.connect(owner.nodeId());
            final RemoteRegion remote = qp.attach(region.handle());
            for (final long offset : new long[]{ -1, 4089, 4096, Long.MAX_VALUE, 1L << 32 })
            {
                final VerbException ex = assertThrows(VerbException.class, () -> qp.write(local, 0, 8, remote, offset));
                assertEquals(CompletionStatus.REMOTE_INVALID_REQUEST, ex.status());
                assertTrue(ex.getMessage().contains("outside the region"), ex.getMessage());
            }
            qp.write(local, 0, 8, remote, 4088);
            assertThrows(IndexOutOfBoundsException.class, () -> qp.write(local, 8190, 8, remote, 0),
                "a local range outside the local buffer is this side's bug: an exception");
        }
    }

    @Test
    void shouldFailWithInvalidRequestOnMisalignedAtomic()
    {
        try (Node owner = fabric.launch(); Node peer = fabric.launch())
        {
            final RegisteredRegion region = owner.registerRegion(4096, AccessFlags.ALL);
            final QueuePair qp = peer.connect(owner.nodeId());
            final RemoteRegion remote = qp.attach(region.handle());
            final VerbException cas = assertThrows(VerbException.class, () -> qp.compareAndSwap(remote, 4, 0, 1));
            assertEquals(CompletionStatus.REMOTE_INVALID_REQUEST, cas.status());
            assertTrue(cas.getMessage().contains("not 8-byte aligned"), cas.getMessage());
            final VerbException faa = assertThrows(VerbException.class, () -> qp.fetchAndAdd(remote, 12, 1));
            assertEquals(CompletionStatus.REMOTE_INVALID_REQUEST, faa.status());
        }
    }

    @Test
    void shouldRefuseVerbsTheAccessFlagsDoNotAllow()
    {
        try (Node owner = fabric.launch(); Node peer = fabric.launch())
        {
            final RegisteredRegion readOnly =
                owner.registerRegion(4096, AccessFlags.LOCAL_WRITE | AccessFlags.REMOTE_READ);
            final QueuePair qp = peer.connect(owner.nodeId());
            final RemoteRegion remote = qp.attach(readOnly.handle());
            qp.read(local, 0, 8, remote, 0);
            final VerbException write = assertThrows(VerbException.class, () -> qp.write(local, 0, 8, remote, 0));
            assertEquals(CompletionStatus.REMOTE_ACCESS_ERROR, write.status());
            assertTrue(write.getMessage().contains("REMOTE_WRITE"), write.getMessage());
            final VerbException faa = assertThrows(VerbException.class, () -> qp.fetchAndAdd(remote, 0, 1));
            assertEquals(CompletionStatus.REMOTE_ACCESS_ERROR, faa.status());

            final RegisteredRegion writeOnly =
                owner.registerRegion(4096, AccessFlags.LOCAL_WRITE | AccessFlags.REMOTE_WRITE);
            final RemoteRegion remoteWriteOnly = qp.attach(writeOnly.handle());
            final VerbException read =
                assertThrows(VerbException.class, () -> qp.read(local, 0, 8, remoteWriteOnly, 0));
            assertEquals(CompletionStatus.REMOTE_ACCESS_ERROR, read.status());

            final RegisteredRegion noLocalWrite = owner.registerRegion(4096, AccessFlags.REMOTE_READ);
            assertThrows(IllegalStateException.class, noLocalWrite::buffer);
            assertEquals(4096, noLocalWrite.readOnlyBuffer().capacity());
        }
    }

    @Test
    void shouldRejectBadRegistrations()
    {
        try (Node owner = fabric.launch())
        {
            assertThrows(IllegalArgumentException.class, () -> owner.registerRegion(0, AccessFlags.ALL));
            assertThrows(IllegalArgumentException.class, () -> owner.registerRegion((1L << 30) + 1, AccessFlags.ALL));
            assertThrows(IllegalArgumentException.class, () -> owner.registerRegion(4096, 1 << 7));
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> owner.registerRegion(4096, AccessFlags.REMOTE_WRITE));
            assertTrue(ex.getMessage().contains("without LOCAL_WRITE"), ex.getMessage());
        }
    }

    @Test
    void shouldThrowOnUseAfterClose()
    {
        final Node owner = fabric.launch();
        final Node peer = fabric.launch();
        final RegisteredRegion region = owner.registerRegion(4096, AccessFlags.ALL);
        final QueuePair qp = peer.connect(owner.nodeId());
        final RemoteRegion remote = qp.attach(region.handle());
        final org.agrona.concurrent.AtomicBuffer buffer = region.buffer();
        qp.close();
        assertThrows(IllegalStateException.class, () -> qp.write(local, 0, 8, remote, 0));
        assertThrows(IllegalStateException.class, () -> qp.postRead(1, local, 0, 8, remote, 0));
        assertThrows(IllegalStateException.class, () -> qp.send(local, 0, 8));
        region.close();
        assertThrows(IllegalStateException.class, region::handle);
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putLong(0, 1), "stale buffer is emptied");
        owner.close();
        peer.close();
        assertThrows(IllegalStateException.class, () -> owner.registerRegion(4096, AccessFlags.ALL));
        assertThrows(IllegalStateException.class, () -> peer.connect(owner.nodeId()));
        assertThrows(IllegalStateException.class, () -> peer.receive((t, b, i, l) -> { }, 1));
    }

    @Test
    void shouldSendAndReceiveTaggedWithTheSenderNodeId()
    {
        try (Node receiver = fabric.launch(); Node sender = fabric.launch())
        {
            final QueuePair qp = sender.connect(receiver.nodeId());
            local.putLong(0, 0xCAFEL);
            assertEquals(QueuePair.OK, qp.send(local, 0, 8));
            final long[] got = new long[2];
            assertEquals(1, receiver.receive((senderId, buffer, index, length) ->
            {
                got[0] = senderId;
                got[1] = buffer.getLong(index);
            }, 10));
            assertEquals(sender.nodeId(), got[0]);
            assertEquals(0xCAFEL, got[1]);
        }
    }

    @Test
    void shouldCountEveryMessageAHandlerGotOnceEvenWhenItThrows()
    {
        try (Node receiver = fabric.launch(); Node sender = fabric.launch())
        {
            final QueuePair qp = sender.connect(receiver.nodeId());
            assertEquals(QueuePair.OK, qp.send(local, 0, 8));
            assertEquals(QueuePair.OK, qp.send(local, 0, 16));
            assertEquals(QueuePair.OK, qp.send(local, 0, 32));
            final int[] seen = new int[1];
            final IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> receiver.receive(
                (senderId, buffer, index, length) ->
                {
                    if (++seen[0] == 2)
                    {
                        throw new IllegalStateException("handler fails on the second message");
                    }
                }, 10));
            assertEquals("handler fails on the second message", thrown.getMessage());
            assertEquals(1, receiver.receive((senderId, buffer, index, length) -> seen[0]++, 10));
            assertEquals(3, seen[0]);
            final long[][] totals = VerbCounters.totals(new org.agrona.concurrent.status.CountersReader(
                controlFileOf(receiver).countersMetadataBuffer(), controlFileOf(receiver).countersValuesBuffer()));
            assertEquals(3, totals[Verb.RECV.ordinal()][VerbCounters.OPS]);
            assertEquals(8 + 16 + 32, totals[Verb.RECV.ordinal()][VerbCounters.BYTES]);
        }
    }

    @Test
    void shouldReturnBackPressureWhenInboxIsFullAndRefuseOversizedMessages()
    {
        try (Node receiver = fabric.launch(new NodeConfig().inboxCapacityBytes(4096)); Node sender = fabric.launch())
        {
            final QueuePair qp = sender.connect(receiver.nodeId());
            assertEquals(512, qp.maxMessageLengthBytes());
            final IllegalArgumentException tooBig =
                assertThrows(IllegalArgumentException.class, () -> qp.send(local, 0, 513));
            assertTrue(tooBig.getMessage().contains("513"), tooBig.getMessage());
            int sent = 0;
            int result;
            while ((result = qp.send(local, 0, 256)) == QueuePair.OK)
            {
                sent++;
            }
            assertEquals(QueuePair.BACK_PRESSURED, result);
            final int[] received = new int[1];
            receiver.receive((senderId, buffer, index, length) -> received[0]++, Integer.MAX_VALUE);
            assertEquals(sent, received[0], "every accepted message arrives; none silently dropped");
            assertEquals(QueuePair.OK, qp.send(local, 0, 256));
            receiver.receive((senderId, buffer, index, length) -> { }, Integer.MAX_VALUE);
        }
    }

    @Test
    void shouldDelayCompletionsWithLinkModel()
    {
        final LinkModel link = new LinkModel(2_000_000, 1_000_000_000);
        try (Node owner = fabric.launch(); Node peer = fabric.launch(new NodeConfig().linkModel(link)))
        {
            final RegisteredRegion region = owner.registerRegion(4096, AccessFlags.ALL);
            final QueuePair qp = peer.connect(owner.nodeId());
            final RemoteRegion remote = qp.attach(region.handle());
            final long start = System.nanoTime();
            assertEquals(QueuePair.OK, qp.postWrite(1, local, 0, 4096, remote, 0));
            // A loaded machine may deschedule this thread past the round trip before the first poll: a completion
            // seen then is fine; one seen earlier is not.
            int completed = qp.completionQueue().poll((w, v, s, r) -> { }, 1);
            assertTrue(0 == completed || System.nanoTime() - start >= 4_000_000, "not ready before a round trip");
            while (0 == completed)
            {
                completed = qp.completionQueue().poll((w, v, s, r) -> { }, 1);
                Thread.onSpinWait();
            }
            final long elapsedNs = System.nanoTime() - start;
            assertTrue(elapsedNs >= 4_000_000, "completion after 2 x 2 ms latency + 4 us transfer: " + elapsedNs);
            qp.write(local, 0, 8, remote, 0);
            assertTrue(System.nanoTime() - start >= 8_000_000, "blocking call waits for the model too");
        }
    }

    @Test
    void shouldCountOpsBytesAndErrorsPerVerb()
    {
        try (Node owner = fabric.launch(); Node peer = fabric.launch())
        {
            final RegisteredRegion region = owner.registerRegion(4096, AccessFlags.ALL);
            final QueuePair qp = peer.connect(owner.nodeId());
            final RemoteRegion remote = qp.attach(region.handle());
            qp.write(local, 0, 100, remote, 0);
            qp.write(local, 0, 28, remote, 0);
            qp.read(local, 0, 64, remote, 0);
            qp.fetchAndAdd(remote, 0, 1);
            assertThrows(VerbException.class, () -> qp.read(local, 0, 64, remote, 4090));
            final long[][] totals = VerbCounters.totals(new org.agrona.concurrent.status.CountersReader(
                controlFileOf(peer).countersMetadataBuffer(), controlFileOf(peer).countersValuesBuffer()));
            assertEquals(2, totals[Verb.WRITE.ordinal()][VerbCounters.OPS]);
            assertEquals(128, totals[Verb.WRITE.ordinal()][VerbCounters.BYTES]);
            assertEquals(1, totals[Verb.READ.ordinal()][VerbCounters.OPS]);
            assertEquals(1, totals[Verb.READ.ordinal()][VerbCounters.ERRORS]);
            assertEquals(1, totals[Verb.FETCH_AND_ADD.ordinal()][VerbCounters.OPS]);
            qp.close();
            final long[][] afterClose = VerbCounters.totals(new org.agrona.concurrent.status.CountersReader(
                controlFileOf(peer).countersMetadataBuffer(), controlFileOf(peer).countersValuesBuffer()));
            assertEquals(128, afterClose[Verb.WRITE.ordinal()][VerbCounters.BYTES], "totals survive qp close");
        }
    }

    private io.farline.transport.control.ControlFile controlFileOf(final Node node)
    {
        return io.farline.transport.control.ControlFile.attach(
            fabric.fabric().controlFile(node.nodeId()), node.nodeId(), 1000);
    }
}
