package io.farline.property.transport;

import io.farline.property.harness.Property;
import io.farline.transport.AccessFlags;
import io.farline.transport.CompletionStatus;
import io.farline.transport.FabricFileException;
import io.farline.transport.Liveness;
import io.farline.transport.Node;
import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import io.farline.transport.RemoteRegion;
import io.farline.transport.control.ControlFile;
import io.farline.transport.control.ControlFileDescriptor;
import io.farline.transport.lane.LaneAnnouncementDescriptor;
import io.farline.transport.lane.LaneFile;
import io.farline.transport.lane.LaneFileDescriptor;
import io.farline.transport.region.RegionFile;
import io.farline.transport.region.RegionFileDescriptor;
import org.agrona.SemanticVersion;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The corruption property's body: creates a valid file of one kind, copies it into the fabric under the name of a
 * fresh node (control files), a region of the observer node (region files) or a lane from a fresh node to the
 * observer (lane files), applies the corruptions to the copy, and attaches it, first directly
 * ({@code ControlFile.attach} / {@code RegionFile.attach} / {@code LaneFile.attach}, timeout 0) and then through
 * the Node API ({@code connect} / {@code QueuePair.attach} / the lane's opening announced in the observer's inbox,
 * then {@code receive}).
 * <p>
 * Checks: anything thrown is a {@link FabricFileException} whose message starts with the file and names one of the
 * reasons the {@link HeaderOracle} found; a file failing a documented check is refused; a file a node could have
 * written is accepted; an accepted file has the values its header holds, and using it (counters, liveness, a SEND,
 * a READ at the end of its data, a message through a lane's ring, {@code Fabric.clean}) throws nothing. The
 * observer reports to its error handler only the lanes it refuses.
 */
final class CorruptFileScenario implements Property<Corruption>
{
    private static final long CLEAN_LIVENESS_TIMEOUT_MS = 3_600_000;
    private static final int FIRST_NODE_ID = 2;
    private static final int NODE_IDS = 60_000;
    private static final int FIRST_REGION_ID = 1_000;
    private static final int FIRST_LANE_ID = 1_000;
    private static final long MESSAGE = 0x5EED_CAFE_F00D_BEEFL;
    private static final MessageHandler IGNORE = (msgTypeId, buffer, index, length) -> { };

    private final FabricFileKind kind;
    private final Node observer;
    private final List<Throwable> observerErrors;
    private final QueuePair loopback;
    private final Path scratch;
    private final UnsafeBuffer local = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private int runs;

    /**
     * @param kind           of file to corrupt.
     * @param observer       a node on the fabric, configured with an attach timeout of 0 and no conductor thread.
     * @param observerErrors what the observer's error handler received; the scenario takes what it expects.
     * @param scratch        a directory for the valid originals.
     */
    CorruptFileScenario(final FabricFileKind kind, final Node observer, final List<Throwable> observerErrors,
        final Path scratch)
    {
        this.kind = kind;
        this.observer = observer;
        this.observerErrors = observerErrors;
        this.loopback = observer.connect(observer.nodeId());
        this.scratch = scratch;
    }

    /**
     * Writes one message into an accepted lane's ring, as its sender's SEND does (tagged with the sender's node id),
     * and reads it back.
     *
     * @param lane    an accepted lane file, its ring empty.
     * @param message holding the long to send, at offset 0.
     */
    static void assertMessageGoesThrough(final LaneFile lane, final UnsafeBuffer message)
    {
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(lane.ring());
        assertTrue(ring.write(lane.senderNodeId(), message, 0, Long.BYTES),
            "the empty ring of an accepted lane takes a message");
        final long[] read = { 0 };
        assertEquals(1, ring.read((msgTypeId, buffer, index, length) -> read[0] = buffer.getLong(index)));
        assertEquals(message.getLong(0), read[0], "the message read back");
    }

    /**
     * As {@link #assertMessageGoesThrough(LaneFile, UnsafeBuffer)}, with a message of its own.
     *
     * @param lane  an accepted lane file, its ring empty.
     * @param value the long to send.
     */
    static void assertMessageGoesThrough(final LaneFile lane, final long value)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        message.putLong(0, value);
        assertMessageGoesThrough(lane, message);
    }

    /**
     * Puts a lane's opening in a node's inbox, as the lane's sender does once its file is published; the node
     * attaches the lane at its next {@code receive}.
     *
     * @param receiver     the node the lane goes to.
     * @param senderNodeId the lane's sender.
     * @param laneId       the lane.
     */
    static void announceLane(final Node receiver, final int senderNodeId, final int laneId)
    {
        final ControlFile controlFile =
            ControlFile.attach(receiver.fabric().controlFile(receiver.nodeId()), receiver.nodeId(), 0);
        final UnsafeBuffer announcement = new UnsafeBuffer(new byte[LaneAnnouncementDescriptor.ANNOUNCEMENT_LENGTH]);
        LaneAnnouncementDescriptor.encode(announcement, senderNodeId, laneId);
        assertTrue(new ManyToOneRingBuffer(controlFile.inboxBuffer()).write(
            LaneAnnouncementDescriptor.LANE_OPENED_MSG_TYPE_ID, announcement, 0, announcement.capacity()),
            "room for the announcement in the inbox of node " + receiver.nodeId());
    }

    @Override
    public void check(final List<Corruption> corruptions) throws IOException
    {
        final int run = runs++;
        final FileIds ids = idsOf(run);
        final Path original = scratch.resolve("original-" + run);
        final Path file = kind.path(observer.fabric(), ids);
        // A run that failed (the shrinker runs many) may have left a lane or an announcement: start from a quiet node.
        while (observer.receive(IGNORE, Integer.MAX_VALUE) > 0)
        {
            // drained: a lane whose sender is gone is retired at the first read that finds it empty
        }
        observerErrors.clear();
        try
        {
            kind.createValid(original, ids);
            Files.copy(original, file);
            for (final Corruption corruption : corruptions)
            {
                corruption.apply(file, kind);
            }
            final HeaderOracle.Verdict verdict = HeaderOracle.judge(kind, file, ids);
            switch (kind)
            {
                case CONTROL:
                    checkControlFile(file, ids.nodeId(), verdict);
                    break;
                case REGION:
                    checkRegionFile(file, ids.nodeId(), ids.fileId(), verdict);
                    break;
                default:
                    checkLaneFile(file, ids, verdict);
                    break;
            }
            assertEquals(List.of(), observerErrors, "errors the observer reported");
        }
        finally
        {
            Files.deleteIfExists(original);
            Files.deleteIfExists(file);
            if (kind == FabricFileKind.CONTROL)
            {
                // A SEND from the observer to the fake node opened a lane that only that node would have deleted.
                for (final Path lane : observer.fabric().laneFilesTo(ids.nodeId()))
                {
                    Files.deleteIfExists(lane);
                }
            }
        }
    }

    /**
     * Fresh ids every run: the node caches peers and region files it has attached, and a sender's lanes.
     */
    private FileIds idsOf(final int run)
    {
        final int freshNodeId = FIRST_NODE_ID + run % NODE_IDS;
        switch (kind)
        {
            case CONTROL:
                return FileIds.control(freshNodeId);
            case REGION:
                return FileIds.region(observer.nodeId(), FIRST_REGION_ID + run);
            default:
                return FileIds.lane(freshNodeId, FIRST_LANE_ID + run, observer.nodeId());
        }
    }

    private void checkControlFile(final Path file, final int nodeId, final HeaderOracle.Verdict verdict)
        throws IOException
    {
        final ControlFile attached = attachOrRefuse(file, verdict, () -> ControlFile.attach(file, nodeId, 0));
        if (null == attached)
        {
            refusedThroughNode("Node.connect", () -> observer.connect(nodeId).close());
            if (!verdict.refusals().contains(HeaderOracle.Refusal.UNPUBLISHED))
            {
                // (clean waits half a second for an unpublished file, so it is checked only on published ones)
                use("Fabric.clean", () -> observer.fabric().clean(CLEAN_LIVENESS_TIMEOUT_MS));
                assertFalse(Files.exists(file), "Fabric.clean kept a refused control file");
            }
            return;
        }
        assertEquals(nodeId, attached.nodeId(), "node id of the accepted file");
        assertEquals(ControlFileDescriptor.CTL_MAJOR_VERSION, SemanticVersion.major(attached.layoutVersion()),
            "major version of the accepted file");
        assertEquals(verdict.fileLength(), ControlFileDescriptor.fileLength(attached.inboxBuffer().capacity(),
            attached.countersMetadataBuffer().capacity(), attached.countersValuesBuffer().capacity()),
            "the accepted file's sections add up to its length");
        assertEquals(verdict.intField(HeaderField.CTL_INBOX_LENGTH_FIELD), attached.inboxBuffer().capacity(),
            "inbox length of the accepted file");
        use("reading the accepted control file", () ->
        {
            attached.pid();
            attached.startTimeMs();
            attached.heartbeatTimeMsAcquire();
            attached.nodeStateAcquire();
            final CountersReader counters =
                new CountersReader(attached.countersMetadataBuffer(), attached.countersValuesBuffer());
            counters.forEach((counterId, typeId, keyBuffer, label) -> counters.getCounterValue(counterId));
            for (int id = 0; id <= counters.maxCounterId(); id++)
            {
                counters.getCounterValue(id);
            }
            Liveness.evaluate(attached, System.currentTimeMillis(), 1000);
        });
        use("Node.connect and send to the accepted control file", () ->
        {
            try (QueuePair queuePair = observer.connect(nodeId))
            {
                final int length = Math.min(8, queuePair.maxMessageLengthBytes());
                final int result = queuePair.send(local, 0, length);
                assertTrue(result == QueuePair.OK || result == QueuePair.BACK_PRESSURED ||
                    result == QueuePair.PEER_DEAD, "send returned " + result);
            }
        });
        use("Fabric.clean", () -> observer.fabric().clean(CLEAN_LIVENESS_TIMEOUT_MS));
    }

    private void checkRegionFile(final Path file, final int nodeId, final int regionId,
        final HeaderOracle.Verdict verdict) throws IOException
    {
        final long rkey = verdict.fileLength() >= kind.headerLength() ?
            verdict.longField(HeaderField.REGION_RKEY_FIELD) : FabricFileKind.RKEY;
        final RegionHandle handle = new RegionHandle(nodeId, regionId, rkey, FabricFileKind.DATA_LENGTH_BYTES);
        final RegionFile attached = attachOrRefuse(file, verdict, () -> RegionFile.attach(file, nodeId, regionId, 0));
        if (null == attached)
        {
            refusedThroughNode("QueuePair.attach", () -> loopback.attach(handle));
            return;
        }
        final int dataLength = attached.dataLength();
        final int flags = verdict.intField(HeaderField.REGION_ACCESS_FLAGS_FIELD);
        assertEquals(nodeId, attached.nodeId(), "node id of the accepted file");
        assertEquals(regionId, attached.regionId(), "region id of the accepted file");
        assertEquals(flags, attached.accessFlags(), "access flags of the accepted file");
        assertEquals(rkey, attached.rkey(), "rkey of the accepted file");
        assertEquals(verdict.longField(HeaderField.REGION_DATA_LENGTH_FIELD), dataLength, "data length");
        assertEquals(verdict.fileLength(), RegionFileDescriptor.REGION_DATA_OFFSET + (long)dataLength,
            "header and data add up to the file's length");
        assertEquals(dataLength, attached.data().capacity(), "data buffer of the accepted file");
        use("reading the accepted region file", () ->
        {
            attached.data().getByte(0);
            attached.data().getByte(dataLength - 1);
            attached.isRegisteredAcquire();
        });
        use("QueuePair.attach and READ of the accepted region file", () ->
        {
            final RemoteRegion remote = loopback.attach(handle);
            assertEquals(dataLength, remote.lengthBytes(), "length of the attached region");
            final int length = Math.min(dataLength, local.capacity());
            final long offset = dataLength - length;
            assertEquals(QueuePair.OK, loopback.postRead(1, local, 0, length, remote, offset));
            final int[] status = { -1 };
            assertEquals(1, loopback.completionQueue().poll((wrId, verb, s, result) -> status[0] = s, 1));
            final boolean readable = (flags & AccessFlags.REMOTE_READ) != 0 &&
                verdict.intField(HeaderField.REGION_STATE_FIELD) == RegionFileDescriptor.REGION_STATE_REGISTERED;
            final int expected = readable ? CompletionStatus.SUCCESS : CompletionStatus.REMOTE_ACCESS_ERROR;
            assertEquals(CompletionStatus.name(expected), CompletionStatus.name(status[0]),
                "status of a READ at the end of the accepted region");
            if (readable)
            {
                final byte[] read = new byte[length];
                local.getBytes(0, read);
                assertTrue(Arrays.equals(bytesOnDisk(file, RegionFileDescriptor.REGION_DATA_OFFSET + offset, length),
                    read), "READ returns the bytes in the file");
            }
        });
    }

    /**
     * Announces the lane to the observer, which must receive nothing from it and report exactly one error: a
     * {@link FabricFileException} naming the file, whose message contains {@code expectedMessagePart}.
     */
    private void assertObserverRefusesLane(final Path file, final FileIds ids, final String what,
        final String expectedMessagePart)
    {
        use("receive after the opening of " + what, () ->
        {
            announceLane(observer, ids.nodeId(), ids.fileId());
            assertEquals(0, observer.receive(IGNORE, 10), "messages from " + what);
        });
        assertEquals(1, observerErrors.size(), "errors the observer reported: " + observerErrors);
        final Throwable error = observerErrors.remove(0);
        assertTrue(error instanceof FabricFileException && file.equals(((FabricFileException)error).file()) &&
            error.getMessage().contains(expectedMessagePart), "the observer refuses " + what + ": " + error);
    }

    /**
     * The sender of the lane is a fake node with no control file, so the observer takes it for dead: it reads what
     * the lane holds, then retires it (deletes its file) at the first read that finds it empty.
     */
    private void checkLaneFile(final Path file, final FileIds ids, final HeaderOracle.Verdict verdict)
    {
        final LaneFile attached = attachOrRefuse(file, verdict,
            () -> LaneFile.attach(file, ids.nodeId(), ids.receiverNodeId(), ids.fileId(), 0));
        if (null == attached)
        {
            assertObserverRefusesLane(file, ids, "a refused lane", "");
            return;
        }
        final int capacity = verdict.intField(HeaderField.LANE_RING_CAPACITY_FIELD);
        assertEquals(ids.nodeId(), attached.senderNodeId(), "sender of the accepted file");
        assertEquals(ids.receiverNodeId(), attached.receiverNodeId(), "receiver of the accepted file");
        assertEquals(ids.fileId(), attached.laneId(), "lane id of the accepted file");
        assertEquals(capacity + RingBufferDescriptor.TRAILER_LENGTH, attached.ring().capacity(),
            "ring of the accepted file");
        assertEquals(verdict.fileLength(), LaneFileDescriptor.fileLength(capacity),
            "header and ring add up to the file's length");
        // Written before the observer reads, as a sender's first SEND is: the write zeroes the next record header,
        // whereas garbage left at the consumer's position would be read as a record (attach checks only the header).
        // A lane's records carry their sender's node id as message type id, as QueuePair writes them.
        local.putLong(0, MESSAGE);
        use("a message through the accepted lane's ring", () -> assertMessageGoesThrough(attached, local));
        if (capacity != FabricFileKind.RING_CAPACITY_BYTES)
        {
            // A valid lane file, but not one for the observer, whose inbox (and so its lanes) has another capacity.
            assertObserverRefusesLane(file, ids, "a lane of another capacity", "ring capacity " + capacity);
            return;
        }
        use("receive from the accepted lane", () ->
        {
            assertTrue(new OneToOneRingBuffer(attached.ring()).write(ids.nodeId(), local, 0, Long.BYTES),
                "the accepted lane takes a second message");
            announceLane(observer, ids.nodeId(), ids.fileId());
            final long[] received = { 0 };
            assertEquals(1, observer.receive((senderNodeId, buffer, index, length) -> received[0] =
                buffer.getLong(index), 10), "messages received from the accepted lane");
            assertEquals(MESSAGE, received[0], "the message received");
            assertEquals(0, observer.receive(IGNORE, 10), "messages after the lane was drained");
            assertFalse(Files.exists(file), "the observer retires a drained lane whose sender is gone");
        });
    }

    /**
     * Attaches directly. Returns the attached file, or null if it was refused as the verdict allows; fails on any
     * other outcome.
     */
    private static <T> T attachOrRefuse(final Path file, final HeaderOracle.Verdict verdict,
        final ThrowingSupplier<T> attach)
    {
        final T attached;
        try
        {
            attached = attach.get();
        }
        catch (final FabricFileException ex)
        {
            final String prefix = "refused " + file + ": ";
            final String message = String.valueOf(ex.getMessage());
            assertTrue(message.startsWith(prefix) && message.length() > prefix.length(),
                "message should name the file, then the reason: " + message);
            final String reason = message.substring(prefix.length());
            assertFalse(verdict.producible(), "refused a file a node could have written: " + reason);
            if (verdict.mustRefuse())
            {
                assertTrue(verdict.refusals().stream().anyMatch(r -> r.isNamedBy(reason)),
                    "refusal should name one of " + verdict.refusals() + ": " + reason);
            }
            return null;
        }
        catch (final Throwable ex)
        {
            final String expected = verdict.mustRefuse() ? "a refusal for " + verdict.refusals() : "no refusal";
            throw new AssertionFailedError("attach threw " + ex + " instead of refusing with a FabricFileException " +
                "(the oracle expected " + expected + ")", ex);
        }
        assertFalse(verdict.mustRefuse(), "accepted a file that fails " + verdict.refusals());
        return attached;
    }

    private static void refusedThroughNode(final String what, final Executable call)
    {
        try
        {
            call.execute();
        }
        catch (final FabricFileException ex)
        {
            return;
        }
        catch (final Throwable ex)
        {
            throw new AssertionFailedError(
                what + " threw " + ex + " for a file attach refuses, instead of a FabricFileException", ex);
        }
        fail(what + " accepted a file that attach refuses");
    }

    private static void use(final String what, final Executable use)
    {
        try
        {
            use.execute();
        }
        catch (final AssertionError ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw new AssertionFailedError(what + " threw " + ex, ex);
        }
    }

    private static byte[] bytesOnDisk(final Path file, final long position, final int length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(length);
            while (bytes.hasRemaining() && channel.read(bytes, position + bytes.position()) > 0)
            {
                // small: read until full
            }
            return bytes.array();
        }
    }
}
