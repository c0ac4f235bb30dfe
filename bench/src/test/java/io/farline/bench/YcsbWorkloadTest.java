package io.farline.bench;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class YcsbWorkloadTest
{
    private static final long SPACE_BYTES = 1L << 20; // 256 pages, 10,240 records
    private static final long SEED = 7;

    @Test
    void shouldPutFortyHundredByteSlotsInEveryPageWithoutCrossingIt()
    {
        assertEquals(40, YcsbWorkload.SLOTS_PER_PAGE);
        final YcsbWorkload ycsb = new YcsbWorkload(SPACE_BYTES, SEED);
        assertEquals(256 * 40, ycsb.recordCount());
        final Set<Long> addresses = new HashSet<>();
        for (int key = 0; key < ycsb.recordCount(); key++)
        {
            final long address = YcsbWorkload.slotAddress(key);
            assertTrue(address >= 0 && address + YcsbWorkload.VALUE_LENGTH_BYTES <= SPACE_BYTES, "key " + key);
            assertEquals(address / 4096, (address + YcsbWorkload.VALUE_LENGTH_BYTES - 1) / 4096, "key " + key);
            assertEquals(0, address & YcsbWorkload.UPDATE_FLAG, "room for the update flag");
            assertTrue(addresses.add(address), "slots are distinct");
        }
    }

    @Test
    void shouldMapEveryRankToADistinctKey()
    {
        final YcsbWorkload ycsb = new YcsbWorkload(SPACE_BYTES, SEED);
        final Set<Integer> keys = new HashSet<>();
        for (int rank = 0; rank < ycsb.recordCount(); rank++)
        {
            assertTrue(keys.add(ycsb.key(rank)), "rank " + rank);
        }
    }

    @Test
    void shouldDrawHalfReadsHalfUpdatesWithTheHotKeysSpreadOverThePages()
    {
        final YcsbWorkload ycsb = new YcsbWorkload(SPACE_BYTES, SEED);
        final int draws = 400_000;
        int updates = 0;
        int hottest = 0;
        final long hottestAddress = YcsbWorkload.slotAddress(ycsb.key(0));
        for (int i = 0; i < draws; i++)
        {
            final long operation = ycsb.next();
            updates += YcsbWorkload.isUpdate(operation) ? 1 : 0;
            hottest += YcsbWorkload.address(operation) == hottestAddress ? 1 : 0;
        }
        assertEquals(0.5, (double)updates / draws, 0.01);
        final double expected = new ZipfianGenerator(ycsb.recordCount(), ZipfianGenerator.YCSB_THETA, 0)
            .probability(0);
        assertEquals(expected, (double)hottest / draws, 0.005, "the hottest key is drawn as often as rank 0");
        final Set<Long> hotPages = new HashSet<>();
        for (int rank = 0; rank < YcsbWorkload.SLOTS_PER_PAGE; rank++)
        {
            hotPages.add(YcsbWorkload.slotAddress(ycsb.key(rank)) / 4096);
        }
        assertTrue(hotPages.size() > YcsbWorkload.SLOTS_PER_PAGE / 2, "the 40 hottest keys are scrambled over " +
            "many pages, not packed in one: " + hotPages.size() + " pages");
    }

    @Test
    void shouldDrawTheSameOperationsWhenGivenTheSameSeed()
    {
        final YcsbWorkload a = new YcsbWorkload(SPACE_BYTES, SEED);
        final YcsbWorkload b = new YcsbWorkload(SPACE_BYTES, SEED);
        for (int i = 0; i < 10_000; i++)
        {
            assertEquals(a.next(), b.next());
        }
    }
}
