package io.farline.transport.region;

import io.farline.transport.LayoutDiagram;
import io.farline.transport.LayoutDiagram.Field;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.farline.transport.region.RegionFileDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class RegionFileDescriptorTest
{
    @Test
    void shouldMatchTheDiagramInItsJavadoc()
    {
        LayoutDiagram.check("src/main/java/io/farline/transport/region/RegionFileDescriptor.java", List.of(
            new Field("Magic", REGION_MAGIC_OFFSET, REGION_MAGIC_LENGTH, "owner-once", false),
            new Field("Layout Version", REGION_LAYOUT_VERSION_OFFSET, REGION_LAYOUT_VERSION_LENGTH, "owner-once",
                true),
            new Field("Node Id", REGION_NODE_ID_OFFSET, REGION_NODE_ID_LENGTH, "owner-once", false),
            new Field("Region Id", REGION_REGION_ID_OFFSET, REGION_REGION_ID_LENGTH, "owner-once", false),
            new Field("Access Flags", REGION_ACCESS_FLAGS_OFFSET, REGION_ACCESS_FLAGS_LENGTH, "owner-once", false),
            new Field("Rkey", REGION_RKEY_OFFSET, REGION_RKEY_LENGTH, "owner-once", false),
            new Field("Data Length", REGION_DATA_LENGTH_OFFSET, REGION_DATA_LENGTH_LENGTH, "owner-once", false),
            new Field("Region State", REGION_STATE_OFFSET, REGION_STATE_LENGTH, "owner-deregister", true),
            new Field("Data", REGION_DATA_OFFSET, -1, "owner-and-peers", false)));
    }

    @Test
    void shouldPageAlignDataAndCheckLengths()
    {
        assertEquals(0, REGION_DATA_OFFSET % REGION_DATA_ALIGNMENT);
        assertNull(checkDataLength(1));
        assertNull(checkDataLength(REGION_MAX_DATA_LENGTH));
        assertNotNull(checkDataLength(0));
        assertNotNull(checkDataLength(REGION_MAX_DATA_LENGTH + 1));
    }
}
