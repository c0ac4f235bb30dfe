package io.farline.core.tracking;

import io.farline.transport.LayoutDiagram;
import io.farline.transport.LayoutDiagram.Field;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.farline.core.tracking.DirtyBitmapDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DirtyBitmapDescriptorTest
{
    @Test
    void shouldMatchTheDiagramInItsJavadoc()
    {
        LayoutDiagram.check("src/main/java/io/farline/core/tracking/DirtyBitmapDescriptor.java", List.of(
            new Field("Magic", DIRTY_MAGIC_OFFSET, DIRTY_MAGIC_LENGTH, "owner-once", false),
            new Field("Layout Version", DIRTY_LAYOUT_VERSION_OFFSET, DIRTY_LAYOUT_VERSION_LENGTH, "owner-once", true),
            new Field("Page Size Bytes", DIRTY_PAGE_SIZE_OFFSET, DIRTY_PAGE_SIZE_LENGTH, "owner-once", false),
            new Field("Unit Size Bytes", DIRTY_UNIT_SIZE_OFFSET, DIRTY_UNIT_SIZE_LENGTH, "owner-once", false),
            new Field("Tracked Length Bytes", DIRTY_TRACKED_LENGTH_OFFSET, DIRTY_TRACKED_LENGTH_LENGTH, "owner-once",
                false),
            new Field("Epoch", DIRTY_EPOCH_OFFSET, DIRTY_EPOCH_LENGTH, "drainer", true),
            new Field("Bitmap Words", DIRTY_WORDS_OFFSET, -1, "writers-and-drainer", true)));
    }

    @Test
    void shouldSizeTheBitmapAsHeaderPlusOneWordPer64Units()
    {
        assertEquals(DIRTY_WORDS_OFFSET + 8, lengthBytes(TrackingGeometry.of(4096)));
        assertEquals(DIRTY_WORDS_OFFSET + 16 * 8, lengthBytes(TrackingGeometry.of(16 * 4096)));
        assertEquals(DIRTY_WORDS_OFFSET + 8, lengthBytes(TrackingGeometry.of(4 * 4096, 4096, 1024)));
        assertEquals(DIRTY_WORDS_OFFSET + 8, wordOffset(64));
    }
}
