package io.farline.core.pagetable;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static io.farline.core.pagetable.PageTableEntryDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageTableTest
{
    @Test
    void shouldEncodeAndDecodeLocalAndRemoteEntries()
    {
        final long local = localEntry(PTE_MAX_FRAME, PTE_PRESENT | PTE_WRITABLE | PTE_DIRTY);
        assertEquals(PTE_MAX_FRAME, frame(local));
        assertTrue(has(local, PTE_PRESENT | PTE_WRITABLE | PTE_DIRTY));
        assertEquals(false, has(local, PTE_REMOTE));
        final long remote = remoteEntry(PTE_MAX_HOST_ID, PTE_MAX_REMOTE_PAGE, PTE_PRESENT | PTE_RECLAIMING);
        assertEquals(PTE_MAX_HOST_ID, hostId(remote));
        assertEquals(PTE_MAX_REMOTE_PAGE, remotePage(remote));
        assertTrue(has(remote, PTE_REMOTE | PTE_PRESENT | PTE_RECLAIMING));
        assertEquals(false, has(remote, PTE_ACCESSED));
        assertEquals("P---R host 7 page 9", PageTableEntryDescriptor.toString(
            remoteEntry(7, 9, PTE_PRESENT | PTE_RECLAIMING)));
    }

    @Test
    void shouldKeepFlagsAndLocationFieldsApart()
    {
        assertEquals(0, PTE_FLAGS_MASK & (PTE_MAX_FRAME << PTE_LOCATION_SHIFT));
        assertEquals(0, PTE_FLAGS_MASK >>> PTE_LOCATION_SHIFT);
        assertEquals(64, PTE_REMOTE_PAGE_SHIFT + PTE_REMOTE_PAGE_BITS);
        assertEquals(64, PTE_LOCATION_SHIFT + PTE_FRAME_BITS);
    }

    @Test
    void shouldRefuseFieldsOutOfRange()
    {
        assertThrows(IllegalArgumentException.class, () -> localEntry(PTE_MAX_FRAME + 1, PTE_PRESENT));
        assertThrows(IllegalArgumentException.class, () -> localEntry(-1, PTE_PRESENT));
        assertThrows(IllegalArgumentException.class, () -> localEntry(1, PTE_REMOTE));
        assertThrows(IllegalArgumentException.class, () -> localEntry(1, 1L << 7));
        assertThrows(IllegalArgumentException.class, () -> remoteEntry(PTE_MAX_HOST_ID + 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> remoteEntry(0, PTE_MAX_REMOTE_PAGE + 1, 0));
    }

    @Test
    void shouldCopyOnlyTheWrittenLineIntoEachReplica()
    {
        try (PageTable table = PageTable.allocate(4096, 3))
        {
            assertTrue(table.compareAndSetEntry(100, 0, localEntry(5, PTE_PRESENT)));
            assertTrue(table.compareAndSetEntry(101, 0, localEntry(6, PTE_PRESENT))); // same 64-byte line
            assertEquals(0, table.replica(2).entryAcquire(100), "replicas lag until sync");
            table.sync();
            for (int socket = 0; socket < 3; socket++)
            {
                assertEquals(localEntry(5, PTE_PRESENT), table.replica(socket).entryAcquire(100));
                assertEquals(localEntry(6, PTE_PRESENT), table.replica(socket).entryAcquire(101));
            }
            assertEquals(64, table.replicator().bytesCopiedPerReplica());
            table.sync();
            assertEquals(64, table.replicator().bytesCopiedPerReplica(), "nothing written, nothing copied");
        }
    }

    @Test
    void shouldNotWriteWhenACompareAndSetFails()
    {
        try (PageTable table = PageTable.allocate(64, 1))
        {
            assertEquals(false, table.compareAndSetEntry(3, 1L, 2L));
            table.sync();
            assertEquals(0, table.replicator().bytesCopiedPerReplica());
            table.getAndSetFlags(3, PTE_ACCESSED);
            assertEquals(PTE_ACCESSED, table.entryVolatile(3));
            table.getAndClearFlags(3, PTE_ACCESSED);
            assertEquals(0, table.entryVolatile(3));
        }
    }

    @Test
    void shouldHaveReplicasEqualToTheMasterAfterSyncUnderConcurrentRandomUpdates() throws Exception
    {
        final int pages = 1 << 14;
        try (PageTable table = PageTable.allocate(pages, 2))
        {
            final AgentRunner background = new AgentRunner(new BusySpinIdleStrategy(), Throwable::printStackTrace,
                null, table.replicator());
            AgentRunner.startOnThread(background);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread[] updaters = new Thread[2];
            for (int t = 0; t < updaters.length; t++)
            {
                final int owner = t;
                updaters[t] = new Thread(() ->
                {
                    try
                    {
                        updateAndCheck(table, owner, updaters.length, 20, 500);
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                });
                updaters[t].start();
            }
            for (final Thread updater : updaters)
            {
                updater.join();
            }
            background.close();
            assertNull(failure.get());
            table.sync();
            for (int page = 0; page < pages; page++)
            {
                for (int socket = 0; socket < 2; socket++)
                {
                    assertEquals(table.entryVolatile(page), table.replica(socket).entryAcquire(page));
                }
            }
        }
    }

    /** Updates pages {@code owner, owner + stride, ...} at random, then syncs and checks both replicas. */
    private static void updateAndCheck(final PageTable table, final int owner, final int stride, final int rounds,
        final int updatesPerRound)
    {
        final SplittableRandom random = new SplittableRandom(owner);
        final int slots = table.pageCount() / stride;
        final long[] last = new long[table.pageCount()];
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < updatesPerRound; i++)
            {
                final int page = random.nextInt(slots) * stride + owner;
                final long entry = random.nextBoolean() ?
                    localEntry(random.nextLong(PTE_MAX_FRAME), PTE_PRESENT | PTE_WRITABLE) :
                    remoteEntry(random.nextInt(16), random.nextLong(PTE_MAX_REMOTE_PAGE), PTE_PRESENT);
                assertTrue(table.compareAndSetEntry(page, last[page], entry), "only this thread writes page " + page);
                last[page] = entry;
            }
            table.sync();
            for (int page = owner; page < table.pageCount(); page += stride)
            {
                for (int socket = 0; socket < table.replicaCount(); socket++)
                {
                    assertEquals(last[page], table.replica(socket).entryAcquire(page),
                        "socket " + socket + " page " + page + " round " + round);
                }
            }
        }
    }

    @Test
    void shouldRefuseBadCountsAndPages()
    {
        assertThrows(IllegalArgumentException.class, () -> PageTable.allocate(0, 1));
        final IllegalArgumentException replicas =
            assertThrows(IllegalArgumentException.class, () -> PageTable.allocate(8, 0));
        assertTrue(replicas.getMessage().contains("replica count 0"), replicas.getMessage());
        try (PageTable table = PageTable.allocate(8, 1))
        {
            assertThrows(IndexOutOfBoundsException.class, () -> table.entryVolatile(8));
            assertThrows(IndexOutOfBoundsException.class, () -> table.compareAndSetEntry(-1, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> table.replica(1));
            // The replica's memory is rounded up to 4 KiB, and page << 3 wraps from 2^28: both once read an entry.
            assertThrows(IndexOutOfBoundsException.class, () -> table.replica(0).entryAcquire(8));
            assertThrows(IndexOutOfBoundsException.class, () -> table.replica(0).entryAcquire((1 << 29) + 1));
            assertThrows(IndexOutOfBoundsException.class, () -> table.replica(0).entryAcquire(-1));
        }
    }

    @Test
    void shouldSayTheTableIsClosedWhenUsedAfterClose()
    {
        final PageTable table = PageTable.allocate(8, 1);
        table.close();
        final IllegalStateException read = assertThrows(IllegalStateException.class, () -> table.entryVolatile(0));
        assertTrue(read.getMessage().contains("closed"), read.getMessage());
        assertThrows(IllegalStateException.class, () -> table.compareAndSetEntry(3, 0, 1));
        assertThrows(IllegalStateException.class, () -> table.getAndSetFlags(3, PTE_ACCESSED));
    }

    @Test
    void shouldRefuseFlagBitsThatWouldChangeAnEntrysLocation()
    {
        try (PageTable table = PageTable.allocate(8, 1))
        {
            final long entry = PageTableEntryDescriptor.localEntry(4, PageTableEntryDescriptor.PTE_PRESENT);
            assertTrue(table.compareAndSetEntry(3, 0, entry));
            final IllegalArgumentException location = assertThrows(IllegalArgumentException.class,
                () -> table.getAndSetFlags(3, 1L << PageTableEntryDescriptor.PTE_LOCATION_SHIFT));
            assertTrue(location.getMessage().contains("reach outside the flags"), location.getMessage());
            assertThrows(IllegalArgumentException.class,
                () -> table.getAndClearFlags(3, PageTableEntryDescriptor.PTE_REMOTE));
            assertEquals(entry, table.entryVolatile(3), "the entry is unchanged");
            table.getAndSetFlags(3, PageTableEntryDescriptor.PTE_ACCESSED | PageTableEntryDescriptor.PTE_DIRTY);
            table.getAndClearFlags(3, PageTableEntryDescriptor.PTE_DIRTY);
            assertEquals(entry | PageTableEntryDescriptor.PTE_ACCESSED, table.entryVolatile(3));
        }
    }
}
