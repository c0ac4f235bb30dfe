package io.farline.property.transport;

import io.farline.transport.FabricFileException;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.TestFabric;
import io.farline.transport.control.ControlFile;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shrunk counterexamples the properties found in the transport, kept as regression tests.
 */
class ShrunkCounterexamplesTest
{
    @RegisterExtension
    final TestFabric fabric = new TestFabric();

    /**
     * Found by CorruptFilesAreRefusedProperty, shrunk to: set inbox length to 769, resize the file to the length
     * the header implies. ControlFileDescriptor.checkLengths accepted any power-of-two ring capacity, including 1, 2
     * and 4, but Agrona's ManyToOneRingBuffer needs at least 8 (one record header), so ControlFile.attach accepted
     * the file and Node.connect (RemotePeer's constructor) then threw IllegalArgumentException "insufficient
     * capacity: minCapacity=776, capacity=769" instead of FabricFileException. Fixed by refusing inbox capacities
     * outside the range a node creates (4 KiB to 256 MiB).
     */
    @Test
    void shouldRefuseControlFileWhenInboxRingIsSmallerThanARecordHeader() throws IOException
    {
        try (Node observer = fabric.launch(new NodeConfig().conductorThread(false).attachTimeoutMs(0)))
        {
            int nodeId = 100;
            for (final int capacity : new int[]{ 1, 2, 4 })
            {
                final int inboxLength = RingBufferDescriptor.TRAILER_LENGTH + capacity;
                final Path file = fabric.fabric().controlFile(++nodeId);
                try
                {
                    FabricFileKind.CONTROL.createValid(file, FileIds.control(nodeId));
                    new Corruption.PutField(HeaderField.CTL_INBOX_LENGTH_FIELD, inboxLength)
                        .apply(file, FabricFileKind.CONTROL);
                    new Corruption.MatchLength().apply(file, FabricFileKind.CONTROL);

                    final int id = nodeId;
                    final FabricFileException attach =
                        assertThrows(FabricFileException.class, () -> ControlFile.attach(file, id, 0));
                    assertTrue(attach.getMessage().contains("inbox length " + inboxLength), attach.getMessage());
                    final FabricFileException connect =
                        assertThrows(FabricFileException.class, () -> observer.connect(id));
                    assertTrue(connect.getMessage().contains("inbox length " + inboxLength), connect.getMessage());
                }
                finally
                {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
