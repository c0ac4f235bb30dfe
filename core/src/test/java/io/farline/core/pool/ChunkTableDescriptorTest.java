package io.farline.core.pool;

import io.farline.transport.LayoutDiagram;
import io.farline.transport.LayoutDiagram.Field;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.farline.core.pool.ChunkTableDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class ChunkTableDescriptorTest
{
    @Test
    void shouldMatchTheDiagramInItsJavadoc()
    {
        LayoutDiagram.check("src/main/java/io/farline/core/pool/ChunkTableDescriptor.java", List.of(
            new Field("Magic", CHUNK_MAGIC_OFFSET, CHUNK_MAGIC_LENGTH, "host-once", false),
            new Field("Layout Version", CHUNK_LAYOUT_VERSION_OFFSET, CHUNK_LAYOUT_VERSION_LENGTH, "host-once", true),
            new Field("Host Node Id", CHUNK_HOST_NODE_ID_OFFSET, CHUNK_HOST_NODE_ID_LENGTH, "host-once", false),
            new Field("Chunk Size Bytes", CHUNK_SIZE_OFFSET, CHUNK_SIZE_LENGTH, "host-once", false),
            new Field("Chunk Count", CHUNK_COUNT_OFFSET, CHUNK_COUNT_LENGTH, "host-once", false),
            new Field("Data Region Id", CHUNK_DATA_REGION_ID_OFFSET, CHUNK_DATA_REGION_ID_LENGTH, "host-once", false),
            new Field("Data Rkey", CHUNK_DATA_RKEY_OFFSET, CHUNK_DATA_RKEY_LENGTH, "host-once", false),
            new Field("Chunk Entries", CHUNK_ENTRIES_OFFSET, -1, "controller-cas", true)));
    }

    @Test
    void shouldPackStateOwnerAndGenerationWithoutOverlap()
    {
        final long entry = entry(STATE_RECLAIMING, 0xFFFF, (1L << 46) - 1);
        assertEquals(STATE_RECLAIMING, state(entry));
        assertEquals(0xFFFF, owner(entry));
        assertEquals((1L << 46) - 1, generation(entry));
        final long lent = next(entry(STATE_FREE, 0, 41), STATE_LENT, 7);
        assertEquals(STATE_LENT, state(lent));
        assertEquals(7, owner(lent));
        assertEquals(42, generation(lent));
        assertEquals("reclaiming", stateName(STATE_RECLAIMING));
    }

    @Test
    void shouldCheckChunkSizesAndDonations()
    {
        assertNull(check(1 << 20, 4));
        assertNotNull(check(1000, 4));
        assertNotNull(check(1 << 10, 4));
        assertNotNull(check(1 << 20, 0));
        assertNotNull(check(1 << 20, 2048));
    }
}
