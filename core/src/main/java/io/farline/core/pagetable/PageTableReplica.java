package io.farline.core.pagetable;

import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One replica of a {@link PageTable}, for the threads of one "socket": they read entries here, close to them, instead
 * of in the master. Only the {@link PageTableReplicator} writes it, line by line, each entry with release semantics;
 * readers load entries with acquire semantics, so an entry is never torn and what it points to was published before
 * it. A replica may lag the master until {@link PageTable#sync()} returns.
 */
public final class PageTableReplica
{
    private final int socket;
    private final int pageCount;
    private final AtomicBuffer entries;

    PageTableReplica(final int socket, final int pageCount, final int lengthBytes)
    {
        this.socket = socket;
        this.pageCount = pageCount;
        this.entries = new UnsafeBuffer(BufferUtil.allocateDirectAligned(lengthBytes, 64));
    }

    /**
     * @return the socket this replica serves.
     */
    public int socket()
    {
        return socket;
    }

    /**
     * @param page a page, {@code 0..pageCount-1}.
     * @return the replica's entry for it, loaded with acquire semantics.
     * @throws IndexOutOfBoundsException if the page is out of range.
     */
    public long entryAcquire(final int page)
    {
        // Checked here, not left to the buffer's bounds check: the buffer is longer than the table (rounded up to
        // 4 KiB), and page << 3 wraps for pages of 2^28 and up.
        if (page < 0 || page >= pageCount)
        {
            throw new IndexOutOfBoundsException("page " + page + " is outside 0.." + (pageCount - 1));
        }
        return entries.getLongAcquire(page << 3);
    }

    /**
     * @return the number of pages.
     */
    public int pageCount()
    {
        return pageCount;
    }

    /**
     * Copies {@code lengthBytes} of entries from the master, entry by entry.
     */
    void copyFrom(final AtomicBuffer master, final int offsetBytes, final int lengthBytes)
    {
        for (int offset = offsetBytes, end = offsetBytes + lengthBytes; offset < end; offset += Long.BYTES)
        {
            // Publishes the entry to readers' entryAcquire; what it points to was published by the master's CAS.
            entries.putLongRelease(offset, master.getLongVolatile(offset));
        }
    }
}
