package io.farline.property.transport;

import io.farline.transport.AccessFlags;
import io.farline.transport.FabricFileException;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.RegionHandle;
import io.farline.transport.TestFabric;
import io.farline.transport.control.ControlFile;
import io.farline.transport.control.ControlFileDescriptor;
import io.farline.transport.lane.LaneFile;
import io.farline.transport.lane.LaneFileDescriptor;
import io.farline.transport.region.RegionFile;
import io.farline.transport.region.RegionFileDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import static io.farline.property.transport.HeaderField.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One example per refusal reason of control, region and lane files: each corrupts a valid file in one way and checks
 * that attach refuses it with a FabricFileException whose message names the file and that reason; and examples of
 * changes attach must accept.
 */
class FabricFileRefusalTest
{
    private static final int NODE_ID = 7;
    private static final int REGION_ID = 3;
    private static final int LANE_ID = 5;
    private static final int RECEIVER_NODE_ID = 8;

    @RegisterExtension
    final TestFabric fabric = new TestFabric();

    @TempDir
    Path directory;

    @Test
    void shouldRefuseControlFileWhenMagicIsBad() throws IOException
    {
        assertRefused(refuseControl(NODE_ID, new Corruption.PutField(CTL_MAGIC_FIELD, 0x1234L)),
            "bad magic 0x1234", "not a Farline control file");
    }

    @Test
    void shouldRefuseControlFileWhenItIsARegionFile() throws IOException
    {
        final long regionMagic = RegionFileDescriptor.REGION_MAGIC;
        assertRefused(refuseControl(NODE_ID, new Corruption.PutField(CTL_MAGIC_FIELD, regionMagic)),
            "bad magic 0x" + Long.toHexString(regionMagic), "not a Farline control file");
    }

    @Test
    void shouldRefuseControlFileWhenMajorVersionIsNewer() throws IOException
    {
        assertRefused(refuseControl(NODE_ID, new Corruption.SetVersion(2, 0, 0)),
            "layout version 2.0.0 has major version 2", "reads major version 1");
    }

    @Test
    void shouldRefuseControlFileWhenTruncated() throws IOException
    {
        final long length = Files.size(valid(FabricFileKind.CONTROL));
        assertRefused(refuseControl(NODE_ID, new Corruption.Truncate(length - 1)),
            "length " + (length - 1) + " does not match its header (expected " + length + ")", "truncated");
    }

    @Test
    void shouldRefuseControlFileWhenTruncatedInsideHeader() throws IOException
    {
        assertRefused(refuseControl(NODE_ID, new Corruption.Truncate(100)),
            "truncated: length 100 is shorter than the header");
    }

    @Test
    void shouldRefuseControlFileWhenExtended() throws IOException
    {
        final long length = Files.size(valid(FabricFileKind.CONTROL));
        assertRefused(refuseControl(NODE_ID, new Corruption.Extend(1)),
            "length " + (length + 1) + " does not match its header", "extended");
    }

    @Test
    void shouldRefuseControlFileWhenEmpty() throws IOException
    {
        assertRefused(refuseControl(NODE_ID, new Corruption.Truncate(0)), "truncated: length 0");
    }

    @Test
    void shouldRefuseControlFileAsUnpublishedWhenVersionIsZero() throws IOException
    {
        final FabricFileException ex = refuseControl(NODE_ID, new Corruption.PutField(CTL_VERSION_FIELD, 0));
        assertRefused(ex, "layout version not published within 0 ms");
        assertTrue(ex.isUnpublished(), "a node may still be publishing it");
    }

    @Test
    void shouldRefuseControlFileWhenNodeIdDoesNotMatchItsName() throws IOException
    {
        assertRefused(refuseControl(NODE_ID + 1), "holds node id " + NODE_ID + ", its name says " + (NODE_ID + 1));
    }

    @Test
    void shouldRefuseControlFileWhenSectionLengthsAreGarbage() throws IOException
    {
        assertRefused(refuseControl(NODE_ID, new Corruption.PutField(CTL_INBOX_LENGTH_FIELD, -1)),
            "inbox length -1 is not a power of two from 4096 to 268435456 plus the ring trailer");
        assertRefused(refuseControl(NODE_ID, new Corruption.PutField(CTL_VALUES_LENGTH_FIELD, Integer.MIN_VALUE)),
            "counters values length " + Integer.MIN_VALUE + " is not a positive multiple of 128");
        assertRefused(refuseControl(NODE_ID, new Corruption.PutField(CTL_METADATA_LENGTH_FIELD, 512)),
            "counters metadata length 512 does not match values length");
    }

    @Test
    void shouldRefuseControlFileWhenMissing()
    {
        final Path missing = directory.resolve("node-9.ctl");
        assertRefused(assertThrows(FabricFileException.class, () -> ControlFile.attach(missing, 9, 0)), missing,
            "no such control file");
    }

    @Test
    void shouldAttachControlFileWhenOnlyUncheckedFieldsOrMinorVersionChange() throws IOException
    {
        final Path file = corrupt(valid(FabricFileKind.CONTROL), FabricFileKind.CONTROL,
            new Corruption.PutField(CTL_PID_FIELD, -1), new Corruption.PutField(CTL_HEARTBEAT_FIELD, Long.MIN_VALUE),
            new Corruption.PutField(CTL_NODE_STATE_FIELD, 99), new Corruption.SetVersion(1, 7, 3));
        final ControlFile attached = ControlFile.attach(file, NODE_ID, 0);
        assertEquals(NODE_ID, attached.nodeId());
        assertEquals(-1, attached.pid());
    }

    @Test
    void shouldRefuseCorruptControlFileWhenConnecting() throws IOException
    {
        try (Node node = fabric.launch(new NodeConfig().conductorThread(false).attachTimeoutMs(0)))
        {
            final Path file = fabric.fabric().controlFile(NODE_ID);
            FabricFileKind.CONTROL.createValid(file, FileIds.control(NODE_ID));
            new Corruption.SetVersion(3, 0, 0).apply(file, FabricFileKind.CONTROL);
            final FabricFileException ex = assertThrows(FabricFileException.class, () -> node.connect(NODE_ID));
            assertRefused(ex, file, "has major version 3");
            assertTrue(fabric.fabric().clean(60_000).contains(file.getFileName().toString()),
                "clean removes a refused control file");
            assertFalse(Files.exists(file));
        }
    }

    @Test
    void shouldRefuseRegionFileWhenMagicIsBad() throws IOException
    {
        assertRefused(refuseRegion(NODE_ID, REGION_ID, new Corruption.PutField(REGION_MAGIC_FIELD, 0)),
            "bad magic 0x0", "not a Farline region file");
    }

    @Test
    void shouldRefuseRegionFileWhenMajorVersionIsNewer() throws IOException
    {
        assertRefused(refuseRegion(NODE_ID, REGION_ID, new Corruption.SetVersion(2, 0, 0)),
            "layout version 2.0.0 has major version 2");
    }

    @Test
    void shouldRefuseRegionFileWhenTruncated() throws IOException
    {
        final long length = RegionFileDescriptor.fileLength(FabricFileKind.DATA_LENGTH_BYTES);
        assertRefused(refuseRegion(NODE_ID, REGION_ID, new Corruption.Truncate(length - 8)),
            "length " + (length - 8) + " does not match its header (expected " + length + " for data length " +
            FabricFileKind.DATA_LENGTH_BYTES + ")", "truncated");
    }

    @Test
    void shouldRefuseRegionFileWhenTruncatedInsideHeader() throws IOException
    {
        assertRefused(refuseRegion(NODE_ID, REGION_ID, new Corruption.Truncate(8)),
            "truncated: length 8 is shorter than the header (" + RegionFileDescriptor.REGION_DATA_OFFSET + ")");
    }

    @Test
    void shouldRefuseRegionFileWhenExtended() throws IOException
    {
        assertRefused(refuseRegion(NODE_ID, REGION_ID, new Corruption.Extend(4096)), "does not match its header",
            "extended");
    }

    @Test
    void shouldRefuseRegionFileWhenEmpty() throws IOException
    {
        assertRefused(refuseRegion(NODE_ID, REGION_ID, new Corruption.Truncate(0)), "truncated: length 0");
    }

    @Test
    void shouldRefuseRegionFileAsUnpublishedWhenVersionIsZero() throws IOException
    {
        final FabricFileException ex =
            refuseRegion(NODE_ID, REGION_ID, new Corruption.PutField(REGION_VERSION_FIELD, 0));
        assertRefused(ex, "layout version not published within 0 ms");
        assertTrue(ex.isUnpublished());
    }

    @Test
    void shouldRefuseRegionFileWhenNodeOrRegionIdDoesNotMatchItsName() throws IOException
    {
        assertRefused(refuseRegion(NODE_ID + 1, REGION_ID), "holds node " + NODE_ID + " region " + REGION_ID +
            ", its name says node " + (NODE_ID + 1) + " region " + REGION_ID);
        assertRefused(refuseRegion(NODE_ID, REGION_ID, new Corruption.PutField(REGION_REGION_ID_FIELD, 4)),
            "holds node " + NODE_ID + " region 4");
    }

    @Test
    void shouldRefuseRegionFileWhenAccessFlagsAreInvalid() throws IOException
    {
        assertRefused(refuseRegion(NODE_ID, REGION_ID, new Corruption.PutField(REGION_ACCESS_FLAGS_FIELD, 0x10)),
            "access flags 0x10 have unknown bits");
        assertRefused(refuseRegion(NODE_ID, REGION_ID,
            new Corruption.PutField(REGION_ACCESS_FLAGS_FIELD, AccessFlags.REMOTE_WRITE)), "without LOCAL_WRITE");
    }

    @Test
    void shouldRefuseRegionFileWhenDataLengthIsGarbage() throws IOException
    {
        assertRefused(refuseRegion(NODE_ID, REGION_ID, new Corruption.PutField(REGION_DATA_LENGTH_FIELD, -1)),
            "data length -1 is outside 1..1073741824");
        assertRefused(refuseRegion(NODE_ID, REGION_ID,
            new Corruption.PutField(REGION_DATA_LENGTH_FIELD, Long.MAX_VALUE)), "data length " + Long.MAX_VALUE);
        assertRefused(refuseRegion(NODE_ID, REGION_ID, new Corruption.PutField(REGION_DATA_LENGTH_FIELD, 0),
            new Corruption.MatchLength()), "data length 0 is outside");
    }

    @Test
    void shouldRefuseRegionFileWhenTooLongToMap() throws IOException
    {
        assertRefused(refuseRegion(NODE_ID, REGION_ID, new Corruption.Extend(1L << 31)), "cannot map",
            "exceeds the largest mappable buffer");
    }

    @Test
    void shouldRefuseRegionFileWhenMissing()
    {
        final Path missing = directory.resolve("node-7.region-9.mr");
        assertRefused(assertThrows(FabricFileException.class, () -> RegionFile.attach(missing, NODE_ID, 9, 0)),
            missing, "no such region file");
    }

    @Test
    void shouldAttachRegionFileWhenOnlyRkeyOrStateChange() throws IOException
    {
        final Path file = corrupt(valid(FabricFileKind.REGION), FabricFileKind.REGION,
            new Corruption.PutField(REGION_RKEY_FIELD, 42), new Corruption.PutField(REGION_STATE_FIELD, 77));
        final RegionFile attached = RegionFile.attach(file, NODE_ID, REGION_ID, 0);
        assertEquals(42, attached.rkey());
        assertFalse(attached.isRegisteredAcquire(), "an unknown state is not registered");
        assertEquals(FabricFileKind.DATA_LENGTH_BYTES, attached.data().capacity());
    }

    @Test
    void shouldRefuseCorruptRegionFileWhenQueuePairAttaches() throws IOException
    {
        try (Node node = fabric.launch(new NodeConfig().conductorThread(false).attachTimeoutMs(0)))
        {
            final Path file = fabric.fabric().regionFile(node.nodeId(), 500);
            FabricFileKind.REGION.createValid(file, FileIds.region(node.nodeId(), 500));
            new Corruption.Truncate(RegionFileDescriptor.REGION_DATA_OFFSET + 1).apply(file, FabricFileKind.REGION);
            final RegionHandle handle = new RegionHandle(node.nodeId(), 500, FabricFileKind.RKEY, 1);
            final FabricFileException ex =
                assertThrows(FabricFileException.class, () -> node.connect(node.nodeId()).attach(handle));
            assertRefused(ex, file, "does not match its header");
            Files.delete(file);
        }
    }

    @Test
    void shouldRefuseLaneFileWhenMagicIsBad() throws IOException
    {
        assertRefused(refuseLane(new Corruption.PutField(LANE_MAGIC_FIELD, 0x1234L)), "bad magic 0x1234",
            "not a Farline lane file");
    }

    @Test
    void shouldRefuseLaneFileWhenItIsAControlFile() throws IOException
    {
        final String controlMagic = "bad magic 0x" + Long.toHexString(ControlFileDescriptor.CTL_MAGIC);
        assertRefused(refuseLane(new Corruption.PutField(LANE_MAGIC_FIELD, ControlFileDescriptor.CTL_MAGIC)),
            controlMagic, "not a Farline lane file");
        // A whole control file: its layout version sits where a lane's does, so only the magic tells them apart.
        final Path controlFile = valid(FabricFileKind.CONTROL);
        assertRefused(assertThrows(FabricFileException.class,
            () -> LaneFile.attach(controlFile, NODE_ID, RECEIVER_NODE_ID, LANE_ID, 0)), controlFile, controlMagic,
            "not a Farline lane file");
    }

    @Test
    void shouldRefuseLaneFileWhenMajorVersionIsNewer() throws IOException
    {
        assertRefused(refuseLane(new Corruption.SetVersion(2, 0, 0)), "layout version 2.0.0 has major version 2",
            "reads major version 1");
    }

    @Test
    void shouldRefuseLaneFileWhenTruncated() throws IOException
    {
        final long length = LaneFileDescriptor.fileLength(FabricFileKind.RING_CAPACITY_BYTES);
        assertRefused(refuseLane(new Corruption.Truncate(length - 1)), "length " + (length - 1) +
            " does not match its header (expected " + length + " for ring capacity " +
            FabricFileKind.RING_CAPACITY_BYTES + ")", "truncated");
    }

    @Test
    void shouldRefuseLaneFileWhenTruncatedInsideHeader() throws IOException
    {
        final int headerLength = LaneFileDescriptor.LANE_RING_OFFSET;
        assertRefused(refuseLane(new Corruption.Truncate(headerLength - 1)),
            "truncated: length " + (headerLength - 1) + " is shorter than the header (" + headerLength + ")");
    }

    @Test
    void shouldRefuseLaneFileWhenEmpty() throws IOException
    {
        assertRefused(refuseLane(new Corruption.Truncate(0)), "truncated: length 0");
    }

    @Test
    void shouldRefuseLaneFileWhenExtended() throws IOException
    {
        final long length = LaneFileDescriptor.fileLength(FabricFileKind.RING_CAPACITY_BYTES);
        assertRefused(refuseLane(new Corruption.Extend(1)), "length " + (length + 1) + " does not match its header",
            "extended");
    }

    @Test
    void shouldRefuseLaneFileAsUnpublishedWhenVersionIsZero() throws IOException
    {
        final FabricFileException ex = refuseLane(new Corruption.PutField(LANE_VERSION_FIELD, 0));
        assertRefused(ex, "layout version not published within 0 ms", "a node that died while opening a lane");
        assertTrue(ex.isUnpublished(), "its sender may still be publishing it");
    }

    @Test
    void shouldRefuseLaneFileWhenSenderDoesNotMatchItsName() throws IOException
    {
        assertRefused(refuseLane(NODE_ID + 1, RECEIVER_NODE_ID, LANE_ID), "holds lane 5 from node 7 to node 8, " +
            "expected lane 5 from node 8 to node 8");
        assertRefused(refuseLane(new Corruption.PutField(LANE_SENDER_NODE_ID_FIELD, 65536)),
            "holds lane 5 from node 65536 to node 8");
    }

    @Test
    void shouldRefuseLaneFileWhenReceiverDoesNotMatchItsName() throws IOException
    {
        assertRefused(refuseLane(new Corruption.PutField(LANE_RECEIVER_NODE_ID_FIELD, 9)),
            "holds lane 5 from node 7 to node 9, expected lane 5 from node 7 to node 8");
    }

    @Test
    void shouldRefuseLaneFileWhenLaneIdDoesNotMatchItsName() throws IOException
    {
        assertRefused(refuseLane(NODE_ID, RECEIVER_NODE_ID, LANE_ID + 1),
            "holds lane 5 from node 7 to node 8, expected lane 6 from node 7 to node 8");
    }

    @Test
    void shouldRefuseLaneFileWhenRingCapacityIsNotAPowerOfTwoInRange() throws IOException
    {
        // Resized to match each capacity where it can be, so that the capacity is the only thing wrong.
        for (final int capacity : new int[]{ 8191, 2048, 8, 0, -1, 1 << 29, Integer.MIN_VALUE })
        {
            assertRefused(refuseLane(new Corruption.PutField(LANE_RING_CAPACITY_FIELD, capacity),
                new Corruption.MatchLength()), "ring capacity " + capacity + " is not a power of two from " +
                LaneFileDescriptor.LANE_MIN_RING_CAPACITY + " to " + LaneFileDescriptor.LANE_MAX_RING_CAPACITY);
        }
    }

    @Test
    void shouldRefuseLaneFileWhenTooLongToMap() throws IOException
    {
        assertRefused(refuseLane(new Corruption.Extend(1L << 31)), "cannot map", "exceeds the largest mappable buffer");
    }

    @Test
    void shouldRefuseLaneFileWhenMissing()
    {
        final Path missing = directory.resolve("node-7.lane-9.to-8.ring");
        assertRefused(assertThrows(FabricFileException.class,
            () -> LaneFile.attach(missing, NODE_ID, RECEIVER_NODE_ID, 9, 0)), missing, "no such lane file");
    }

    @Test
    void shouldAttachLaneFileWhenMinorVersionChangesOrPaddingAndRingHoldGarbage() throws IOException
    {
        final int ring = LaneFileDescriptor.LANE_RING_OFFSET;
        final Path file = corrupt(valid(FabricFileKind.LANE), FabricFileKind.LANE, new Corruption.SetVersion(1, 7, 3),
            new Corruption.FlipByte(ring - 1, 0xFF), new Corruption.FlipByte(ring + 64, 0xFF),
            new Corruption.FlipByte(ring + FabricFileKind.RING_CAPACITY_BYTES - 1, 0x5A));
        final LaneFile attached = LaneFile.attach(file, NODE_ID, RECEIVER_NODE_ID, LANE_ID, 0);
        assertEquals(LANE_ID, attached.laneId());
        CorruptFileScenario.assertMessageGoesThrough(attached, 42);
    }

    @Test
    void shouldAttachLaneFileWhenRingCapacityAndLengthChangeTogether() throws IOException
    {
        final int capacity = LaneFileDescriptor.LANE_MIN_RING_CAPACITY;
        final Path file = corrupt(valid(FabricFileKind.LANE), FabricFileKind.LANE,
            new Corruption.PutField(LANE_RING_CAPACITY_FIELD, capacity), new Corruption.MatchLength());
        final LaneFile attached = LaneFile.attach(file, NODE_ID, RECEIVER_NODE_ID, LANE_ID, 0);
        assertEquals(capacity + RingBufferDescriptor.TRAILER_LENGTH, attached.ring().capacity());
        CorruptFileScenario.assertMessageGoesThrough(attached, 42);
    }

    @Test
    void shouldRefuseCorruptLaneFileWhenTheReceiverReadsItsOpening() throws IOException
    {
        final List<Throwable> errors = new ArrayList<>();
        try (Node node = fabric.launch(
            new NodeConfig().conductorThread(false).attachTimeoutMs(0).errorHandler(errors::add)))
        {
            final FileIds ids = FileIds.lane(NODE_ID, LANE_ID, node.nodeId());
            final Path file = FabricFileKind.LANE.path(fabric.fabric(), ids);
            FabricFileKind.LANE.createValid(file, ids);
            new Corruption.SetVersion(3, 0, 0).apply(file, FabricFileKind.LANE);
            CorruptFileScenario.announceLane(node, NODE_ID, LANE_ID);
            assertEquals(0, node.receive((senderNodeId, buffer, index, length) -> { }, 10));
            assertEquals(1, errors.size(), "the refusal goes to the error handler: " + errors);
            assertRefused((FabricFileException)errors.get(0), file, "has major version 3");
        }
    }

    private FabricFileException refuseControl(final int expectedNodeId, final Corruption... corruptions)
        throws IOException
    {
        return refuse(FabricFileKind.CONTROL, file -> ControlFile.attach(file, expectedNodeId, 0), corruptions);
    }

    private FabricFileException refuseRegion(final int expectedNodeId, final int expectedRegionId,
        final Corruption... corruptions) throws IOException
    {
        return refuse(FabricFileKind.REGION, file -> RegionFile.attach(file, expectedNodeId, expectedRegionId, 0),
            corruptions);
    }

    private FabricFileException refuseLane(final Corruption... corruptions) throws IOException
    {
        return refuseLane(NODE_ID, RECEIVER_NODE_ID, LANE_ID, corruptions);
    }

    private FabricFileException refuseLane(final int expectedSenderNodeId, final int expectedReceiverNodeId,
        final int expectedLaneId, final Corruption... corruptions) throws IOException
    {
        return refuse(FabricFileKind.LANE,
            file -> LaneFile.attach(file, expectedSenderNodeId, expectedReceiverNodeId, expectedLaneId, 0),
            corruptions);
    }

    private FabricFileException refuse(final FabricFileKind kind, final Consumer<Path> attach,
        final Corruption... corruptions) throws IOException
    {
        final Path file = corrupt(valid(kind), kind, corruptions);
        final FabricFileException ex = assertThrows(FabricFileException.class, () -> attach.accept(file));
        assertEquals(file, ex.file());
        return ex;
    }

    /**
     * @return a valid file of that kind holding {@link #NODE_ID}, {@link #REGION_ID} or {@link #LANE_ID} to
     * {@link #RECEIVER_NODE_ID}, under a fresh name.
     */
    private Path valid(final FabricFileKind kind) throws IOException
    {
        final Path file = Files.createTempFile(directory, "node-", "." + kind.name().toLowerCase(Locale.ROOT));
        Files.delete(file);
        switch (kind)
        {
            case CONTROL:
                kind.createValid(file, FileIds.control(NODE_ID));
                break;
            case REGION:
                kind.createValid(file, FileIds.region(NODE_ID, REGION_ID));
                break;
            default:
                kind.createValid(file, FileIds.lane(NODE_ID, LANE_ID, RECEIVER_NODE_ID));
                break;
        }
        return file;
    }

    private static Path corrupt(final Path file, final FabricFileKind kind, final Corruption... corruptions)
        throws IOException
    {
        for (final Corruption corruption : corruptions)
        {
            corruption.apply(file, kind);
        }
        return file;
    }

    private static void assertRefused(final FabricFileException ex, final String... reasonWords)
    {
        assertRefused(ex, ex.file(), reasonWords);
    }

    private static void assertRefused(final FabricFileException ex, final Path file, final String... reasonWords)
    {
        final String message = ex.getMessage();
        assertTrue(message.startsWith("refused " + file + ": "), "names the file first: " + message);
        for (final String word : reasonWords)
        {
            assertTrue(message.contains(word), "should say '" + word + "': " + message);
        }
    }
}
