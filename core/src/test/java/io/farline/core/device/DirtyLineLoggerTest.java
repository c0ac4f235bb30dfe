package io.farline.core.device;

import io.farline.core.interconnect.Interconnect;
import io.farline.core.tracking.TrackedMemory;
import io.farline.core.tracking.TrackingGeometry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirtyLineLoggerTest
{
    private final TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(64 * 4096));
    private final Interconnect interconnect = new Interconnect();
    private final int port = interconnect.connect(memory);

    @AfterEach
    void close()
    {
        interconnect.close();
        memory.close();
    }

    @Test
    void shouldLogTheAddressOfEachLineTheFirstTimeItIsWritten()
    {
        final DirtyLineLogger logger = new DirtyLineLogger(interconnect, port, 1024);
        interconnect.attach(logger);
        memory.buffer().putLong(4096 + 128, 1L);
        memory.buffer().putLong(4096 + 136, 1L);
        memory.buffer().putInt(64, 1);
        memory.buffer().putBytes(8 * 4096, new byte[130]);
        interconnect.awaitEventsHandled();
        assertEquals(List.of(4096L + 128, 64L, 8 * 4096L, 8 * 4096L + 64, 8 * 4096L + 128), readAll(logger, 2));
        assertFalse(logger.hasOverflowed());
    }

    @Test
    void shouldFallBackToTheBitmapWhenItsLogOverflowsSoNoLineIsMissed()
    {
        final DirtyLineLogger logger = new DirtyLineLogger(interconnect, port, 4);
        interconnect.attach(logger);
        final TreeSet<Long> written = new TreeSet<>();
        for (int line = 0; line < 500; line += 7)
        {
            memory.buffer().putByte(line * 64, (byte)1);
            written.add(line * 64L);
        }
        interconnect.awaitEventsHandled();
        assertTrue(logger.hasOverflowed());
        final List<Long> read = readAll(logger, 16);
        assertEquals(written, new TreeSet<>(read));
        assertFalse(logger.hasOverflowed());
    }

    @Test
    void shouldRefuseACapacityThatIsNotAPowerOfTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new DirtyLineLogger(interconnect, port, 1000));
        assertThrows(IllegalArgumentException.class, () -> new DirtyLineLogger(interconnect, port, 0));
        assertThrows(IllegalArgumentException.class, () -> new DirtyLineLogger(interconnect, port + 1, 1024));
    }

    @Test
    void shouldRefuseACapacityWhoseRingWouldNotFitAnInt()
    {
        // 2^27 entries of 16 bytes overflowed an int and silently made a 64-entry log.
        final IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
            () -> new DirtyLineLogger(interconnect, port, 1 << 27));
        assertTrue(tooBig.getMessage().contains(String.valueOf(DirtyLineLogger.MAX_CAPACITY_ENTRIES)),
            tooBig.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> new DirtyLineLogger(interconnect, port, DirtyLineLogger.MAX_CAPACITY_ENTRIES * 2));
        assertThrows(IllegalArgumentException.class, () -> new DirtyLineLogger(interconnect, port, 1 << 30));
    }

    @Test
    void shouldHoldExactlyTheCapacityItWasGivenBeforeItOverflows()
    {
        for (final int capacity : new int[]{1, 4, 128})
        {
            try (TrackedMemory small = TrackedMemory.allocate(TrackingGeometry.of(64 * 4096));
                Interconnect own = new Interconnect())
            {
                final DirtyLineLogger logger = new DirtyLineLogger(own, own.connect(small), capacity);
                own.attach(logger);
                for (int line = 0; line < capacity; line++)
                {
                    small.buffer().putByte(line * 64, (byte)1);
                }
                own.awaitEventsHandled();
                assertFalse(logger.hasOverflowed(), capacity + " entries fit a log of " + capacity);
                assertEquals(capacity, readAll(logger, 7).size());

                for (int line = capacity; line < 2 * capacity + 1; line++)
                {
                    small.buffer().putByte(line * 64, (byte)1); // the log was read empty: capacity + 1 more
                }
                own.awaitEventsHandled();
                assertTrue(logger.hasOverflowed(), capacity + 1 + " entries overflow a log of " + capacity);
                final TreeSet<Long> read = new TreeSet<>(readAll(logger, 7));
                for (int line = capacity; line < 2 * capacity + 1; line++)
                {
                    assertTrue(read.contains(line * 64L), "line " + line + " delivered after the overflow");
                }
            }
        }
    }

    private static List<Long> readAll(final DirtyLineLogger logger, final int batch)
    {
        final List<Long> all = new ArrayList<>();
        final long[] into = new long[batch];
        int n;
        while ((n = logger.read(into)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                all.add(into[i]);
            }
        }
        return all;
    }
}
