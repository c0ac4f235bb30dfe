package io.farline.core.pagetable;

import io.farline.core.tracking.TrackedBuffer;
import io.farline.core.tracking.TrackedMemory;
import io.farline.core.tracking.TrackingGeometry;
import io.farline.transport.JvmFlags;
import org.agrona.BitUtil;

import static io.farline.core.pagetable.PageTableEntryDescriptor.PTE_FLAGS_MASK;
import static io.farline.core.pagetable.PageTableEntryDescriptor.PTE_REMOTE;

/**
 * An off-heap page table of 64-bit entries ({@link PageTableEntryDescriptor}) with replicas, one per "socket" (a
 * group of threads the caller chooses), kept up to date by copying only the cache lines of the master table that were
 * written.
 * <p>
 * The master is tracked memory, so every entry update marks its 64-byte line (8 entries) dirty; the
 * {@link PageTableReplicator} drains those lines and copies them into each {@link PageTableReplica}. Updates are
 * lock-free compare-and-sets on the master. Readers use their own replica, which may lag; {@link #sync()} waits until
 * every replica has caught up with every update completed before the call (the analogue of a TLB shootdown).
 * <p>
 * Threading: updates from any thread; reads of a replica from any thread; {@link #sync()} from any thread.
 * Ownership: the table owns its master and replicas; {@link #close()} releases them.
 */
public final class PageTable implements AutoCloseable
{
    private final int pageCount;
    /**
     * The pages an access may name: {@link #pageCount} while open, 0 once closed, so that the page check every access
     * makes anyway refuses use after close, and says so, at no cost to the open table. Plain: a thread racing with
     * close may still pass it, and then meets the closed buffer's own bounds check.
     */
    private int openPageCount;
    private final TrackedMemory master;
    private final TrackedBuffer entries;
    private final PageTableReplica[] replicas;
    private final PageTableReplicator replicator;

    private PageTable(final int pageCount, final int replicaCount)
    {
        this.pageCount = pageCount;
        this.openPageCount = pageCount;
        final int lengthBytes = BitUtil.align(pageCount * Long.BYTES, TrackingGeometry.DEFAULT_PAGE_SIZE_BYTES);
        this.master = TrackedMemory.allocate(TrackingGeometry.of(lengthBytes));
        this.entries = master.buffer();
        this.replicas = new PageTableReplica[replicaCount];
        for (int socket = 0; socket < replicaCount; socket++)
        {
            replicas[socket] = new PageTableReplica(socket, pageCount, lengthBytes);
        }
        this.replicator = new PageTableReplicator(master, replicas);
    }

    /**
     * Makes a table whose entries are all 0 (not present), with its replicas.
     *
     * @param pageCount    pages the table maps, {@code 1..2^27} (a table of up to 1 GiB).
     * @param replicaCount replicas, one per socket, at least 1.
     * @return the table.
     * @throws IllegalArgumentException if a count is out of range.
     * @throws IllegalStateException naming the JVM flag Farline needs, if this JVM was started without it.
     */
    public static PageTable allocate(final int pageCount, final int replicaCount)
    {
        JvmFlags.ensurePresent(); // before Agrona reaches jdk.internal.misc.Unsafe, which needs them
        if (pageCount < 1 || pageCount > 1 << 27)
        {
            throw new IllegalArgumentException("page count " + pageCount + " is outside 1.." + (1 << 27));
        }
        if (replicaCount < 1)
        {
            throw new IllegalArgumentException("replica count " + replicaCount + " must be at least 1");
        }
        return new PageTable(pageCount, replicaCount);
    }

    /**
     * @return the number of pages.
     */
    public int pageCount()
    {
        return pageCount;
    }

    /**
     * @return the number of replicas.
     */
    public int replicaCount()
    {
        return replicas.length;
    }

    /**
     * @param page a page.
     * @return the master's entry, loaded with volatile semantics.
     * @throws IndexOutOfBoundsException if the page is out of range.
     * @throws IllegalStateException if the table is closed.
     */
    public long entryVolatile(final int page)
    {
        checkPage(page);
        return entries.getLongVolatile(page << 3);
    }

    /**
     * Updates an entry of the master if it holds {@code expected}; marks its line for replication.
     *
     * @param page     a page.
     * @param expected the entry the caller read.
     * @param update   the new entry.
     * @return true if updated, false if the entry had changed (nothing is written then).
     * @throws IndexOutOfBoundsException if the page is out of range.
     * @throws IllegalStateException if the table is closed.
     */
    public boolean compareAndSetEntry(final int page, final long expected, final long update)
    {
        checkPage(page);
        return entries.compareAndSetLong(page << 3, expected, update);
    }

    /**
     * Sets flag bits of an entry, lock-free (a compare-and-set loop).
     *
     * @param page a page.
     * @param bits flag bits to set, within {@link PageTableEntryDescriptor#PTE_FLAGS_MASK} and without
     *             {@link PageTableEntryDescriptor#PTE_REMOTE} (which says what the location field holds).
     * @return the entry before.
     * @throws IllegalArgumentException if {@code bits} reach outside the flags or include the remote bit.
     * @throws IndexOutOfBoundsException if the page is out of range.
     * @throws IllegalStateException if the table is closed.
     */
    public long getAndSetFlags(final int page, final long bits)
    {
        checkFlags(bits);
        long before;
        do
        {
            before = entryVolatile(page);
        }
        while ((before & bits) != bits && !compareAndSetEntry(page, before, before | bits));
        return before;
    }

    /**
     * Clears flag bits of an entry, lock-free (a compare-and-set loop).
     *
     * @param page a page.
     * @param bits flag bits to clear, as for {@link #getAndSetFlags}.
     * @return the entry before.
     * @throws IllegalArgumentException if {@code bits} reach outside the flags or include the remote bit.
     * @throws IndexOutOfBoundsException if the page is out of range.
     * @throws IllegalStateException if the table is closed.
     */
    public long getAndClearFlags(final int page, final long bits)
    {
        checkFlags(bits);
        long before;
        do
        {
            before = entryVolatile(page);
        }
        while ((before & bits) != 0 && !compareAndSetEntry(page, before, before & ~bits));
        return before;
    }

    /**
     * @param socket a socket, {@code 0..replicaCount-1}.
     * @return that socket's replica.
     * @throws IllegalArgumentException if the socket is out of range.
     */
    public PageTableReplica replica(final int socket)
    {
        if (socket < 0 || socket >= replicas.length)
        {
            throw new IllegalArgumentException("socket " + socket + " is outside 0.." + (replicas.length - 1));
        }
        return replicas[socket];
    }

    /**
     * @return the replicator device, to run as an agent or attach to an interconnect.
     */
    public PageTableReplicator replicator()
    {
        return replicator;
    }

    /**
     * Waits until every replica holds every update completed before this call, by running a replication pass
     * (after any pass in progress).
     */
    public void sync()
    {
        replicator.doWork();
    }

    /**
     * @return the master's tracked memory (for tools and tests; update entries through this table).
     */
    public TrackedMemory master()
    {
        return master;
    }

    /**
     * Releases the master; replicas are released when unreferenced.
     */
    @Override
    public void close()
    {
        openPageCount = 0;
        master.close();
    }

    private static void checkFlags(final long bits)
    {
        if ((bits & ~(PTE_FLAGS_MASK & ~PTE_REMOTE)) != 0)
        {
            throw new IllegalArgumentException("flag bits 0x" + Long.toHexString(bits) + " reach outside the flags " +
                "(0x" + Long.toHexString(PTE_FLAGS_MASK) + ") or include the remote bit, " +
                "which would change the entry's location: set whole entries with compareAndSetEntry");
        }
    }

    private void checkPage(final int page)
    {
        if (page < 0 || page >= openPageCount)
        {
            if (0 == openPageCount)
            {
                throw new IllegalStateException("the page table is closed");
            }
            throw new IndexOutOfBoundsException("page " + page + " is outside 0.." + (pageCount - 1));
        }
    }
}
