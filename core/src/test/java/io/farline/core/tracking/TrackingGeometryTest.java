package io.farline.core.tracking;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrackingGeometryTest
{
    @Test
    void shouldUseOneBitmapWordPerPageWithLinesAndFourKiBPages()
    {
        final TrackingGeometry geometry = TrackingGeometry.of(64L << 20);
        assertEquals(4096, geometry.pageSizeBytes());
        assertEquals(64, geometry.unitSizeBytes());
        assertEquals(geometry.pageCount(), geometry.bitmapWordCount());
        assertEquals(64, geometry.unitsPerPage());
    }

    @Test
    void shouldDecoupleTheTrackingUnitFromThePageSize()
    {
        final TrackingGeometry geometry = TrackingGeometry.of(1 << 21, 1 << 21, 512);
        assertEquals(1, geometry.pageCount());
        assertEquals(4096, geometry.unitCount());
        assertEquals(64, geometry.bitmapWordCount());
    }

    @Test
    void shouldRefuseATrackingUnitThatIsNotAPowerOfTwo()
    {
        assertRefused(() -> TrackingGeometry.of(4096, 4096, 96), "tracking unit 96 must be a power of two");
    }

    @Test
    void shouldRefuseATrackingUnitLargerThanThePage()
    {
        assertRefused(() -> TrackingGeometry.of(8192, 4096, 8192), "up to the page size");
    }

    @Test
    void shouldRefuseATrackingUnitSmallerThanALine()
    {
        assertRefused(() -> TrackingGeometry.of(4096, 4096, 32), "from one cache line");
    }

    @Test
    void shouldRefuseABadPageSize()
    {
        assertRefused(() -> TrackingGeometry.of(4096, 3000, 64), "page size 3000");
    }

    @Test
    void shouldRefuseALengthThatIsNotAPositiveMultipleOfThePage()
    {
        assertRefused(() -> TrackingGeometry.of(4095), "length 4095");
        assertRefused(() -> TrackingGeometry.of(0), "length 0");
        assertRefused(() -> TrackingGeometry.of(1L << 32), "length 4294967296");
    }

    private static void assertRefused(final Runnable make, final String expected)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, make::run);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }
}
