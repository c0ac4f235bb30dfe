package io.farline.transport.control;

import io.farline.transport.FabricFileException;
import io.farline.transport.Node;
import io.farline.transport.TestFabric;
import io.farline.transport.Verb;
import io.farline.transport.VerbCounters;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlFileTest
{
    @RegisterExtension
    final TestFabric fabric = new TestFabric();

    @Test
    void shouldRefuseCorruptCounterRecordsAndKeepTotalsThatDoNotReadLabels()
    {
        try (Node node = fabric.launch())
        {
            final ControlFile file = ControlFile.attach(fabric.fabric().controlFile(node.nodeId()), node.nodeId(), 0);
            final CountersReader reader = file.countersReader();
            final int record = 1;
            assertEquals(CountersReader.RECORD_ALLOCATED, reader.getCounterState(record), "a record in use");
            final long[][] totals = VerbCounters.totals(reader);

            final UnsafeBuffer metadata = file.countersMetadataBuffer();
            final int labelLengthOffset = CountersReader.metaDataOffset(record) + CountersReader.LABEL_OFFSET;
            final int labelLength = metadata.getInt(labelLengthOffset);
            for (final int corrupt : new int[]{ -1, CountersReader.MAX_LABEL_LENGTH + 1, Integer.MAX_VALUE })
            {
                metadata.putInt(labelLengthOffset, corrupt);
                final FabricFileException ex = assertThrows(FabricFileException.class, file::countersReader);
                assertEquals("refused " + file.file() + ": counter 1 has label length " + corrupt + ", outside 0.." +
                    CountersReader.MAX_LABEL_LENGTH + ": corrupt counters metadata", ex.getMessage());
                final long[][] read = VerbCounters.totals(
                    new CountersReader(file.countersMetadataBuffer(), file.countersValuesBuffer()));
                for (final Verb verb : Verb.values())
                {
                    assertArrayEquals(totals[verb.ordinal()], read[verb.ordinal()], "totals ignore labels: " + verb);
                }
            }
            metadata.putInt(labelLengthOffset, labelLength);

            final int stateOffset = CountersReader.metaDataOffset(record);
            metadata.putIntVolatile(stateOffset, 7);
            final FabricFileException ex = assertThrows(FabricFileException.class, file::countersReader);
            assertTrue(ex.getMessage().endsWith("counter 1 has state 7 (expected 1, -1 or 0): corrupt counters " +
                "metadata"), ex.getMessage());
            metadata.putIntVolatile(stateOffset, CountersReader.RECORD_ALLOCATED);
            file.countersReader();
        }
    }
}
