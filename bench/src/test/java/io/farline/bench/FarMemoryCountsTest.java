package io.farline.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FarMemoryCountsTest
{
    @Test
    void shouldParseWhatItFormats()
    {
        final FarMemoryCounts counts = new FarMemoryCounts("ycsb-a", 400_000, 400_001, 173_331, 173_335,
            17_873_216, 17_873_216, 427_261_952, 1, 3, 0.25, 385);
        final String line = counts.format();
        assertTrue(line.startsWith(FarMemoryCounts.PREFIX + " workload=ycsb-a "), line);
        assertEquals(counts, FarMemoryCounts.parse(line));
        final FarMemoryCounts third = new FarMemoryCounts("x", 1, 1, 1, 1, 1, 1, 1, 1, 2, 1.0 / 3, 1);
        assertEquals(1.0 / 3, FarMemoryCounts.parse(third.format()).prefetchHitRate(), 0.0, "every digit kept");
    }

    @Test
    void shouldRefuseALineThatIsNotCountsOrLacksAField()
    {
        final String line = new FarMemoryCounts("w", 1, 2, 3, 4, 5, 6, 7, 8, 9, 0.5, 10).format();
        assertThrows(IllegalArgumentException.class, () -> FarMemoryCounts.parse("DONE"));
        assertThrows(IllegalArgumentException.class, () -> FarMemoryCounts.parse(line.replace(" misses=3", "")));
        assertThrows(IllegalArgumentException.class, () -> FarMemoryCounts.parse(line.replace("misses=3",
            "misses=three")));
        assertThrows(IllegalArgumentException.class, () -> FarMemoryCounts.parse(line + " stray"));
    }
}
