package io.farline.core.tracking;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirtyDrainerTest
{
    private final TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(64 * 4096));
    private final TrackedBuffer buffer = memory.buffer();
    private final DirtyDrainer drainer = memory.drainer();

    @AfterEach
    void close()
    {
        memory.close();
    }

    @Test
    void shouldDeliverNothingAndEndTheEpochWhenNothingWasWritten()
    {
        final DirtyRuns runs = new DirtyRuns(4);
        assertEquals(0, drainer.drain(runs));
        assertTrue(runs.endsEpoch());
        assertEquals(1, memory.epoch());
    }

    @Test
    void shouldCoalesceAdjacentLinesIntoOneRunAcrossBitmapWords()
    {
        // Lines 62..65 straddle words 0 and 1 (4 KiB pages of 64 lines: one word per page).
        buffer.putBytes(62 * 64, new byte[4 * 64]);
        buffer.putLong(10 * 4096 + 8, 1L);
        final DirtyRuns runs = new DirtyRuns(8);
        assertEquals(2, drainer.drain(runs));
        assertEquals(62 * 64, runs.offsetBytes(0));
        assertEquals(4 * 64, runs.lengthBytes(0));
        assertEquals(10 * 4096, runs.offsetBytes(1));
        assertEquals(64, runs.lengthBytes(1));
        assertEquals(5 * 64, runs.totalBytes());
    }

    @Test
    void shouldMarkBothLinesWhenAStoreStraddlesThem()
    {
        buffer.putLong(60, -1L);
        final DirtyRuns runs = new DirtyRuns(8);
        drainer.drain(runs);
        assertEquals(1, runs.count());
        assertEquals(0, runs.offsetBytes(0));
        assertEquals(128, runs.lengthBytes(0));
    }

    @Test
    void shouldClearWhatItDeliversSoTheNextEpochIsEmpty()
    {
        buffer.putInt(4096 * 3, 7);
        final DirtyRuns runs = new DirtyRuns(8);
        assertEquals(1, drainer.drain(runs));
        assertEquals(0, drainer.drain(runs));
        assertEquals(2, memory.epoch());
    }

    @Test
    void shouldResumeWhereItStoppedWhenTheCallersBufferIsFull()
    {
        for (int page = 0; page < 64; page += 2)
        {
            buffer.putByte(page * 4096, (byte)1);
            buffer.putByte(page * 4096 + 640, (byte)1);
        }
        final DirtyRuns runs = new DirtyRuns(5);
        int delivered = 0;
        int calls = 0;
        do
        {
            delivered += drainer.drain(runs);
            calls++;
            for (int i = 0; i < runs.count(); i++)
            {
                assertEquals(64, runs.lengthBytes(i));
            }
        }
        while (!runs.endsEpoch());
        assertEquals(64, delivered);
        assertEquals(13, calls);
        assertEquals(0, memory.dirtyBitmap().wordVolatile(0));
    }

    @Test
    void shouldTrackAtACoarserUnitThanALine()
    {
        try (TrackedMemory coarse = TrackedMemory.allocate(TrackingGeometry.of(16 * 4096, 4096, 1024)))
        {
            coarse.buffer().putByte(1025, (byte)3);
            final DirtyRuns runs = new DirtyRuns(2);
            coarse.drainer().drain(runs);
            assertEquals(1024, runs.offsetBytes(0));
            assertEquals(1024, runs.lengthBytes(0));
            assertFalse(coarse.dirtyBitmap().isUnitDirty(1));
        }
    }

    @Test
    void shouldSetTakenBitsAgainWhenADrainCannotComplete()
    {
        buffer.putBytes(60 * 64, new byte[10 * 64]); // lines 60..69, across two words
        buffer.putByte(20 * 4096, (byte)1);
        final DirtyRuns runs = new DirtyRuns(8);
        assertEquals(2, drainer.drain(runs));
        assertEquals(0, memory.dirtyBitmap().wordVolatile(0));
        drainer.giveBack(runs); // what drain does if the barrier throws
        assertEquals(0, runs.count());
        assertEquals(0xFL << 60, memory.dirtyBitmap().wordVolatile(0));
        assertEquals(0x3FL, memory.dirtyBitmap().wordVolatile(1));
        assertEquals(1L, memory.dirtyBitmap().wordVolatile(20));
        assertEquals(2, drainer.drain(runs));
    }

    @Test
    void shouldDrainOneRangeAndLeaveTheRestOfItsWordsDirty()
    {
        try (TrackedMemory halfPages = TrackedMemory.allocate(TrackingGeometry.of(4 * 2048, 2048, 64)))
        {
            // 32 units per 2 KiB page: pages 0 and 1 share bitmap word 0.
            halfPages.buffer().putByte(64, (byte)1);          // page 0, unit 1
            halfPages.buffer().putBytes(2048, new byte[128]);  // page 1, units 32..33
            final DirtyRuns runs = new DirtyRuns(17);
            assertEquals(1, halfPages.drainer().drainUnits(32, 32, runs));
            assertEquals(2048, runs.offsetBytes(0));
            assertEquals(128, runs.lengthBytes(0));
            assertEquals(1L << 1, halfPages.dirtyBitmap().wordVolatile(0), "page 0's bit stays");
            assertEquals(0, halfPages.drainer().nextWord());
            assertEquals(0, halfPages.epoch(), "a range drain ends no epoch");
            assertThrows(IllegalArgumentException.class, () -> halfPages.drainer().drainUnits(100, 32, runs));
            assertThrows(IllegalArgumentException.class,
                () -> halfPages.drainer().drainUnits(0, 64, new DirtyRuns(2)));
        }
    }

    @Test
    void shouldRefuseADrainEpochThatDoesNotFit()
    {
        buffer.putByte(0, (byte)1);
        buffer.putByte(4096, (byte)1);
        assertThrows(IllegalStateException.class, () -> drainer.drainEpoch(new DirtyRuns(1)));
    }
}
