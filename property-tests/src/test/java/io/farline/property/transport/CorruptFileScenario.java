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
import io.farline.transport.region.RegionFile;
import io.farline.transport.region.RegionFileDescriptor;
import org.agrona.SemanticVersion;
import org.agrona.concurrent.UnsafeBuffer;
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
 * fresh node (control files) or region of the observer node (region files), applies the corruptions to the copy,
 * and attaches it, first directly ({@code ControlFile.attach} / {@code RegionFile.attach}, timeout 0) and then
 * through the Node API ({@code connect} / {@code QueuePair.attach}).
 * <p>
 * Checks: anything thrown is a {@link FabricFileException} whose message starts with the file and names one of the
 * reasons the {@link HeaderOracle} found; a file failing a documented check is refused; a file a node could have
 * written is accepted; an accepted file has the values its header holds, and using it (counters, liveness, a SEND,
 * a READ at the end of its data, {@code Fabric.clean}) throws nothing.
 */
final class CorruptFileScenario implements Property<Corruption>
{
    private static final long CLEAN_LIVENESS_TIMEOUT_MS = 3_600_000;
    private static final int FIRST_NODE_ID = 2;
    private static final int NODE_IDS = 60_000;
    private static final int FIRST_REGION_ID = 1_000;

    private final FabricFileKind kind;
    private final Node observer;
    private final QueuePair loopback;
    private final Path scratch;
    private final UnsafeBuffer local = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private int runs;

    /**
     * @param kind     of file to corrupt.
     * @param observer a node on the fabric, configured with an attach timeout of 0 and no conductor thread.
     * @param scratch  a directory for the valid originals.
     */
    CorruptFileScenario(final FabricFileKind kind, final Node observer, final Path scratch)
    {
        this.kind = kind;
        this.observer = observer;
        this.loopback = observer.connect(observer.nodeId());
        this.scratch = scratch;
    }

    @Override
    public void check(final List<Corruption> corruptions) throws IOException
    {
        // Fresh ids every run: the node caches peers and region files it has attached.
        final int run = runs++;
        final int nodeId = kind == FabricFileKind.CONTROL ? FIRST_NODE_ID + run % NODE_IDS : observer.nodeId();
        final int regionId = kind == FabricFileKind.CONTROL ? 0 : FIRST_REGION_ID + run;
        final Path original = scratch.resolve("original-" + run);
        final Path file = kind == FabricFileKind.CONTROL ?
            observer.fabric().controlFile(nodeId) : observer.fabric().regionFile(nodeId, regionId);
        try
        {
            kind.createValid(original, nodeId, regionId);
            Files.copy(original, file);
            for (final Corruption corruption : corruptions)
            {
                corruption.apply(file, kind);
            }
            final HeaderOracle.Verdict verdict = HeaderOracle.judge(kind, file, nodeId, regionId);
            if (kind == FabricFileKind.CONTROL)
            {
                checkControlFile(file, nodeId, verdict);
            }
            else
            {
                checkRegionFile(file, nodeId, regionId, verdict);
            }
        }
        finally
        {
            Files.deleteIfExists(original);
            Files.deleteIfExists(file);
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
