package io.farline.transport.control;

import io.farline.transport.LayoutDiagram;
import io.farline.transport.LayoutDiagram.Field;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.farline.transport.control.ControlFileDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlFileDescriptorTest
{
    @Test
    void shouldMatchTheDiagramInItsJavadoc()
    {
        final int inbox = CTL_HEADER_LENGTH;
        LayoutDiagram.check("src/main/java/io/farline/transport/control/ControlFileDescriptor.java", List.of(
            new Field("Magic", CTL_MAGIC_OFFSET, CTL_MAGIC_LENGTH, "owner-once", false),
            new Field("Layout Version", CTL_LAYOUT_VERSION_OFFSET, CTL_LAYOUT_VERSION_LENGTH, "owner-once", true),
            new Field("Node Id", CTL_NODE_ID_OFFSET, CTL_NODE_ID_LENGTH, "owner-once", false),
            new Field("Pid", CTL_PID_OFFSET, CTL_PID_LENGTH, "owner-once", false),
            new Field("Start Time Ms", CTL_START_TIME_MS_OFFSET, CTL_START_TIME_MS_LENGTH, "owner-once", false),
            new Field("Inbox Length", CTL_INBOX_LENGTH_OFFSET, CTL_INBOX_LENGTH_LENGTH, "owner-once", false),
            new Field("Counters Metadata Length", CTL_COUNTERS_METADATA_LENGTH_OFFSET,
                CTL_COUNTERS_METADATA_LENGTH_LENGTH, "owner-once", false),
            new Field("Counters Values Length", CTL_COUNTERS_VALUES_LENGTH_OFFSET,
                CTL_COUNTERS_VALUES_LENGTH_LENGTH, "owner-once", false),
            new Field("Heartbeat Time Ms", CTL_HEARTBEAT_TIME_MS_OFFSET, CTL_HEARTBEAT_TIME_MS_LENGTH,
                "conductor", true),
            new Field("Node State", CTL_NODE_STATE_OFFSET, CTL_NODE_STATE_LENGTH, "owner-close", true),
            new Field("Inbox", inbox, -1, "peers", false),
            new Field("Counters Metadata", -1, -1, "owner", false),
            new Field("Counters Values", -1, -1, "owner", false)));
    }

    @Test
    void shouldAlignSectionsAndCheckLengths()
    {
        assertEquals(0, CTL_HEADER_LENGTH % CTL_SLOT_ALIGNMENT);
        assertEquals(0, CTL_HEARTBEAT_TIME_MS_OFFSET % CTL_SLOT_ALIGNMENT);
        assertNull(checkLengths(inboxLength(4096), countersMetadataLength(64), countersValuesLength(64)));
        assertTrue(checkLengths(inboxLength(4095), countersMetadataLength(64), countersValuesLength(64))
            .contains("power of two"));
        assertTrue(checkLengths(inboxLength(4096), countersMetadataLength(63), countersValuesLength(64))
            .contains("metadata"));
        assertTrue(checkLengths(inboxLength(4096), 0, 0).contains("values"));
    }
}
