package io.farline.transport;

import io.farline.transport.lane.LaneFile;
import io.farline.transport.lane.LaneFileDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * SENDs travel on lanes: one one-to-one ring per queue pair, announced in the receiver's inbox, drained and deleted by
 * the receiver once the sender closes it.
 */
class LaneTest
{
    @RegisterExtension
    final TestFabric fabric = new TestFabric();

    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(64));

    @Test
    void shouldCreateTheLaneAtTheFirstSendAndDeleteItOnceTheReceiverDrainedItsClose()
    {
        try (Node receiver = fabric.launch(); Node sender = fabric.launch())
        {
            final QueuePair qp = sender.connect(receiver.nodeId());
            final Path lane = fabric.fabric().laneFile(sender.nodeId(), 1, receiver.nodeId());
            assertFalse(Files.exists(lane), "no lane before the first SEND: one-sided verbs need none");
            for (int i = 0; i < 100; i++)
            {
                message.putInt(0, i);
                assertEquals(QueuePair.OK, qp.send(message, 0, 4));
            }
            assertTrue(Files.exists(lane));
            qp.close();
            assertTrue(Files.exists(lane), "the sender leaves the file to the receiver, which may not have read it");

            final List<Integer> received = new ArrayList<>();
            while (received.size() < 100)
            {
                receiver.receive((senderId, buffer, index, length) -> received.add(buffer.getInt(index)), 7);
            }
            for (int i = 0; i < 100; i++)
            {
                assertEquals(i, received.get(i), "order of one queue pair's messages");
            }
            assertEquals(0, receiver.receive((senderId, buffer, index, length) -> { }, 10));
            assertFalse(Files.exists(lane), "drained after its close: the receiver deleted the file");
            assertEquals(0, receiver.inboundLaneCount());
        }
    }

    @Test
    void shouldServeLanesInTurn()
    {
        try (Node receiver = fabric.launch(); Node a = fabric.launch(); Node b = fabric.launch())
        {
            final QueuePair fromA = a.connect(receiver.nodeId());
            final QueuePair fromB = b.connect(receiver.nodeId());
            for (int i = 0; i < 10; i++)
            {
                assertEquals(QueuePair.OK, fromA.send(message, 0, 8));
                assertEquals(QueuePair.OK, fromB.send(message, 0, 8));
            }
            final List<Integer> senders = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                assertEquals(1, receiver.receive((senderId, buffer, index, length) -> senders.add(senderId), 1));
            }
            for (int i = 1; i < 20; i++)
            {
                assertTrue(!senders.get(i).equals(senders.get(i - 1)), "one message a call, lanes in turn: " + senders);
            }
            assertEquals(2, receiver.inboundLaneCount());
        }
    }

    @Test
    void shouldBackPressureTheFirstSendWhileThePeersInboxHasNoRoomForTheAnnouncement()
    {
        try (Node receiver = fabric.launch(new NodeConfig().inboxCapacityBytes(4096));
            Node sender = fabric.launch(new NodeConfig().counterCount(8192)))
        {
            // An announcement takes 16 bytes of the 4 KiB inbox: the 257th queue pair finds no room.
            final List<QueuePair> queuePairs = new ArrayList<>();
            int result = QueuePair.OK;
            while (result == QueuePair.OK)
            {
                final QueuePair qp = sender.connect(receiver.nodeId());
                queuePairs.add(qp);
                message.putInt(0, queuePairs.size());
                result = qp.send(message, 0, 4);
            }
            assertEquals(QueuePair.BACK_PRESSURED, result);
            assertEquals(257, queuePairs.size());
            final QueuePair last = queuePairs.get(queuePairs.size() - 1);

            final int[] received = new int[1];
            while (received[0] < 256)
            {
                received[0] += receiver.receive((senderId, buffer, index, length) -> { }, 1000);
            }
            assertEquals(QueuePair.OK, last.send(message, 0, 4), "room again once the receiver took announcements");
            while (receiver.receive((senderId, buffer, index, length) -> received[0]++, 1000) == 0)
            {
                Thread.onSpinWait();
            }
            assertEquals(257, received[0], "every accepted message arrived");
        }
    }

    @Test
    void shouldRetireALaneWhoseRingHoldsACorruptRecordWithoutDeliveringIt()
    {
        final List<Throwable> errors = new ArrayList<>();
        try (Node receiver = fabric.launch(new NodeConfig().errorHandler(errors::add)); Node sender = fabric.launch())
        {
            final QueuePair qp = sender.connect(receiver.nodeId());
            message.putLong(0, 7);
            assertEquals(QueuePair.OK, qp.send(message, 0, 8));
            assertEquals(1, receiver.receive((senderId, buffer, index, length) -> { }, 10));

            // Another process scribbles over the ring: a record that claims two gigabytes at the read position.
            final Path file = fabric.fabric().laneFile(sender.nodeId(), 1, receiver.nodeId());
            final UnsafeBuffer ring = LaneFile.attach(file, sender.nodeId(), receiver.nodeId(), 1, 0).ring();
            final int capacity = ring.capacity() - RingBufferDescriptor.TRAILER_LENGTH;
            final int head = (int)ring.getLong(capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET) & (capacity - 1);
            ring.putInt(RecordDescriptor.typeOffset(head), sender.nodeId());
            ring.putIntRelease(RecordDescriptor.lengthOffset(head), Integer.MAX_VALUE - 64);

            final int[] delivered = new int[1];
            assertEquals(0, receiver.receive((senderId, buffer, index, length) -> delivered[0]++, 10));
            assertEquals(0, delivered[0]);
            assertEquals(1, errors.size(), "reported: " + errors);
            assertTrue(errors.get(0) instanceof FabricFileException &&
                errors.get(0).getMessage().contains("corrupt record"), errors.get(0).getMessage());
            assertEquals(0, receiver.inboundLaneCount(), "retired");
            assertFalse(Files.exists(file), "a retired lane's file is deleted");
        }
    }

    @Test
    void shouldRetireALaneWhoseRecordLengthWrapsOrWhosePaddingOverrunsTheRing()
    {
        for (final int[] record : new int[][]{ { Integer.MAX_VALUE - 3, 0 }, { Integer.MAX_VALUE, -1 },
            { 1 << 30, -1 }, { 4, 0 } })
        {
            final List<Throwable> errors = new ArrayList<>();
            try (Node receiver = fabric.launch(new NodeConfig().errorHandler(errors::add));
                Node sender = fabric.launch())
            {
                final QueuePair qp = sender.connect(receiver.nodeId());
                assertEquals(QueuePair.OK, qp.send(message, 0, 8));
                assertEquals(1, receiver.receive((senderId, buffer, index, length) -> { }, 10));
                final Path file = fabric.fabric().laneFile(sender.nodeId(), 1, receiver.nodeId());
                final UnsafeBuffer ring = LaneFile.attach(file, sender.nodeId(), receiver.nodeId(), 1, 0).ring();
                final int capacity = ring.capacity() - RingBufferDescriptor.TRAILER_LENGTH;
                final int head =
                    (int)ring.getLong(capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET) & (capacity - 1);
                ring.putInt(RecordDescriptor.typeOffset(head), 0 == record[1] ? sender.nodeId() : record[1]);
                ring.putIntRelease(RecordDescriptor.lengthOffset(head), record[0]);

                for (int i = 0; i < 3; i++)
                {
                    assertEquals(0, receiver.receive((senderId, buffer, index, length) -> { }, 10),
                        "length " + record[0] + ", type " + record[1]);
                }
                assertEquals(1, errors.size(), "reported once: " + errors);
                assertTrue(errors.get(0).getMessage().contains("corrupt record"), errors.get(0).getMessage());
                assertEquals(0, receiver.inboundLaneCount(), "retired");
            }
        }
    }

    @Test
    void shouldReportACorruptInboxOnceAndKeepReadingTheLanesAlreadyAttached()
    {
        final List<Throwable> errors = new ArrayList<>();
        try (Node receiver = fabric.launch(new NodeConfig().errorHandler(errors::add)); Node sender = fabric.launch())
        {
            final QueuePair qp = sender.connect(receiver.nodeId());
            assertEquals(QueuePair.OK, qp.send(message, 0, 8));
            assertEquals(1, receiver.receive((senderId, buffer, index, length) -> { }, 10));

            // A record claiming twice the inbox's capacity at the inbox's read position.
            final UnsafeBuffer inbox = new UnsafeBuffer(
                io.farline.transport.control.ControlFile.attach(fabric.fabric().controlFile(receiver.nodeId()),
                receiver.nodeId(), 0).inboxBuffer());
            final int capacity = inbox.capacity() - RingBufferDescriptor.TRAILER_LENGTH;
            final int head = (int)inbox.getLong(capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET) & (capacity - 1);
            inbox.putInt(RecordDescriptor.typeOffset(head), 1);
            inbox.putIntRelease(RecordDescriptor.lengthOffset(head), 2 * capacity);

            assertEquals(QueuePair.OK, qp.send(message, 0, 8));
            final int[] received = new int[1];
            for (int i = 0; i < 3; i++)
            {
                received[0] += receiver.receive((senderId, buffer, index, length) -> { }, 10);
            }
            assertEquals(1, received[0], "the lane attached before the corruption still delivers");
            assertEquals(1, errors.size(), "reported once: " + errors);
            assertTrue(errors.get(0) instanceof FabricFileException &&
                errors.get(0).getMessage().contains("inbox of node " + receiver.nodeId()), errors.get(0).getMessage());
        }
    }

    @Test
    void shouldCloseAtOnceAndLoseNothingWhenThePeersInboxIsFullAtClose()
    {
        final List<Throwable> errors = new ArrayList<>();
        try (Node receiver = fabric.launch(new NodeConfig().inboxCapacityBytes(4096).errorHandler(errors::add));
            Node sender = fabric.launch(new NodeConfig().counterCount(8192).livenessTimeoutMs(5000)))
        {
            final List<QueuePair> queuePairs = new ArrayList<>();
            for (int i = 0; i < 256; i++)
            {
                final QueuePair qp = sender.connect(receiver.nodeId());
                assertEquals(QueuePair.OK, qp.send(message, 0, 8), "256 announcements fill a 4 KiB inbox");
                queuePairs.add(qp);
            }
            final long startNs = System.nanoTime();
            for (final QueuePair qp : queuePairs)
            {
                qp.close(); // no room for the close announcements: the lanes' close marks carry the news
            }
            final long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertTrue(closeMs < 2500, "closing did not wait for room in the inbox: " + closeMs + " ms");

            int received = 0;
            for (int i = 0; i < 10_000 && (received < 256 || receiver.inboundLaneCount() > 0); i++)
            {
                received += receiver.receive((senderId, buffer, index, length) -> { }, 1000);
            }
            assertEquals(256, received, "every accepted message arrived");
            assertEquals(0, receiver.inboundLaneCount(), "every lane drained and retired");
            assertEquals(List.of(), errors);
        }
    }

    @Test
    void shouldRetireAttachedLanesByTheirCloseMarksWhenTheCloseFindsTheInboxFull()
    {
        final List<Throwable> errors = new ArrayList<>();
        try (Node receiver = fabric.launch(new NodeConfig().inboxCapacityBytes(4096).errorHandler(errors::add));
            Node closing = fabric.launch(new NodeConfig().counterCount(8192).livenessTimeoutMs(5000));
            Node filling = fabric.launch(new NodeConfig().counterCount(8192).livenessTimeoutMs(5000)))
        {
            // No peer state change may come later and make the receiver judge the lanes (which reads the marks too).
            while (receiver.peerState(closing.nodeId()) != PeerState.ALIVE ||
                receiver.peerState(filling.nodeId()) != PeerState.ALIVE)
            {
                Thread.onSpinWait();
            }
            // The first lanes are attached and open before anything else happens: only their close marks can tell
            // the receiver they closed, since their close announcements find the inbox full.
            final List<QueuePair> closed = new ArrayList<>();
            for (int i = 0; i < 128; i++)
            {
                final QueuePair qp = closing.connect(receiver.nodeId());
                assertEquals(QueuePair.OK, qp.send(message, 0, 8));
                closed.add(qp);
            }
            int received = 0;
            for (int i = 0; i < 1000 && (received < 128 || receiver.inboundLaneCount() < 128); i++)
            {
                received += receiver.receive((senderId, buffer, index, length) -> { }, 1000);
            }
            assertEquals(128, receiver.inboundLaneCount(), "the first lanes attached");
            for (int i = 0; i < 256; i++)
            {
                assertEquals(QueuePair.OK, filling.connect(receiver.nodeId()).send(message, 0, 8),
                    "256 announcements fill a 4 KiB inbox");
            }
            for (final QueuePair qp : closed)
            {
                qp.close();
            }

            for (int i = 0; i < 20_000 && (received < 128 + 256 || receiver.inboundLaneCount() > 256); i++)
            {
                received += receiver.receive((senderId, buffer, index, length) -> { }, 1000);
            }
            assertEquals(128 + 256, received, "every accepted message arrived");
            assertEquals(256, receiver.inboundLaneCount(), "the closed lanes retired, the open ones stay");
            assertEquals(List.of(), errors);
        }
    }

    @Test
    void shouldKeepDeliveringFromASenderJudgedDeadOnlyBecauseItsHeartbeatIsLate() throws InterruptedException
    {
        final BlockingQueue<PeerState> verdicts = new LinkedBlockingQueue<>();
        try (Node receiver = fabric.launch(new NodeConfig().livenessTimeoutMs(200).heartbeatIntervalMs(20));
            Node sender = fabric.launch(new NodeConfig().conductorThread(false)))
        {
            receiver.addPeerListener((peerNodeId, previous, current, reason) ->
            {
                if (peerNodeId == sender.nodeId())
                {
                    verdicts.add(current);
                }
            });
            final QueuePair qp = sender.connect(receiver.nodeId());
            assertEquals(QueuePair.OK, qp.send(message, 0, 8));
            assertEquals(1, receiver.receive((senderId, buffer, index, length) -> { }, 10));

            // The sender's conductor never runs, so its heartbeat stops: the receiver judges it dead, though its
            // process is alive and it still sends.
            PeerState verdict;
            do
            {
                verdict = verdicts.poll(5, TimeUnit.SECONDS);
                assertNotNull(verdict, "no verdict on the silent sender");
            }
            while (verdict != PeerState.DEAD);
            assertEquals(0, receiver.receive((senderId, buffer, index, length) -> { }, 10));
            assertEquals(1, receiver.inboundLaneCount(), "the lane of a stalled sender is kept");

            assertSendsAndReceives(qp, receiver, 99);
        }
    }

    @Test
    void shouldLeaveNoLaneFileWhenTheFirstSendComesAfterThePeerClosed()
    {
        final Node receiver = fabric.launch();
        // No conductor thread: the sender judges the receiver once, at connect, and never sees it close.
        try (Node sender = fabric.launch(new NodeConfig().conductorThread(false)))
        {
            final QueuePair qp = sender.connect(receiver.nodeId());
            receiver.close();
            assertEquals(QueuePair.OK, qp.send(message, 0, 8), "accepted into a lane no one will read");
            assertEquals(1, fabric.fabric().laneFilesTo(receiver.nodeId()).size());
            qp.close();
            assertEquals(List.of(), fabric.fabric().laneFilesTo(receiver.nodeId()));
        }
    }

    @Test
    void shouldReleaseLaneMappingsOfQueuePairsClosedOnTheirOwnThread() throws IOException
    {
        final Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "needs /proc/self/maps");
        try (Node receiver = fabric.launch(); Node sender = fabric.launch())
        {
            final long before = laneMappings(maps);
            for (int i = 0; i < 200; i++)
            {
                final QueuePair qp = sender.connect(receiver.nodeId());
                assertEquals(QueuePair.OK, qp.send(message, 0, 8));
                qp.close();
                while (receiver.inboundLaneCount() > 0 || receiver.receive((t, b, x, l) -> { }, 10) > 0)
                {
                    receiver.receive((t, b, x, l) -> { }, 10);
                }
            }
            assertTrue(laneMappings(maps) - before < 10, "lane mappings left after 200 queue pairs: " +
                (laneMappings(maps) - before));
            assertEquals(List.of(), fabric.fabric().laneFilesTo(receiver.nodeId()));
        }
    }

    private void assertSendsAndReceives(final QueuePair qp, final Node receiver, final long value)
    {
        message.putLong(0, value);
        assertEquals(QueuePair.OK, qp.send(message, 0, 8));
        final long[] got = new long[1];
        assertEquals(1, receiver.receive((senderId, buffer, index, length) -> got[0] = buffer.getLong(index), 10));
        assertEquals(value, got[0]);
    }

    private static long laneMappings(final Path maps) throws IOException
    {
        try (java.util.stream.Stream<String> lines = Files.lines(maps))
        {
            return lines.filter(line -> line.contains(".ring")).count();
        }
    }

    @Test
    void shouldReplaceAStaleLaneFileLeftByAnEarlierHolderOfTheNodeId() throws IOException
    {
        try (Node receiver = fabric.launch(); Node sender = fabric.launch())
        {
            final Path stale = fabric.fabric().laneFile(sender.nodeId(), 1, receiver.nodeId());
            Files.write(stale, new byte[LaneFileDescriptor.LANE_RING_OFFSET]);
            assertSendsAndReceives(sender.connect(receiver.nodeId()), receiver, 42);
        }
    }

    @Test
    void shouldDeleteLanesToAClosedReceiverAndCleanLanesOfGoneNodes() throws IOException
    {
        fabric.expectLeftovers();
        final Node receiver = fabric.launch();
        final Node sender = fabric.launch();
        final QueuePair qp = sender.connect(receiver.nodeId());
        assertEquals(QueuePair.OK, qp.send(message, 0, 8));
        final Path lane = fabric.fabric().laneFile(sender.nodeId(), 1, receiver.nodeId());
        assertTrue(Files.exists(lane));
        receiver.close();
        assertFalse(Files.exists(lane), "a closing node deletes the lanes to it, read or not");

        final Path toGone = fabric.fabric().laneFile(sender.nodeId(), 2, 999);
        final Path fromGone = fabric.fabric().laneFile(999, 1, sender.nodeId());
        final Path foreign = fabric.fabric().directory().resolve("node-1.lane-x.to-2.ring");
        for (final Path file : List.of(toGone, fromGone, foreign))
        {
            Files.write(file, new byte[8]);
        }
        final List<String> removed = fabric.fabric().clean(1000);
        assertEquals(List.of(toGone.getFileName().toString()), removed, "a lane whose receiver is gone");
        assertTrue(Files.exists(fromGone), "a live receiver drains a gone sender's lane, then deletes it itself");
        assertTrue(Files.exists(foreign), "foreign names are ignored");
        sender.close();
    }
}
