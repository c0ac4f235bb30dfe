package io.farline.core.pool;

import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import io.farline.transport.RemoteRegion;
import org.agrona.concurrent.UnsafeBuffer;

import static io.farline.core.pool.ChunkTableDescriptor.*;

/**
 * The controller's view of one memory host: a queue pair to it, its chunk table as last read, and the one-sided
 * operations on that table. The snapshot is a cache, never the truth: every change is a compare-and-swap against the
 * host's own entry, and a failed swap refreshes the snapshot's entry.
 */
final class HostView
{
    private final int nodeId;
    private final QueuePair qp;
    private final RemoteRegion table;
    private final UnsafeBuffer snapshot;
    private final RegionHandle dataHandle;
    private final int chunkSizeBytes;
    private final int chunkCount;

    HostView(final int nodeId, final QueuePair qp, final RemoteRegion table, final UnsafeBuffer snapshot,
        final RegionHandle dataHandle, final int chunkSizeBytes, final int chunkCount)
    {
        this.nodeId = nodeId;
        this.qp = qp;
        this.table = table;
        this.snapshot = snapshot;
        this.dataHandle = dataHandle;
        this.chunkSizeBytes = chunkSizeBytes;
        this.chunkCount = chunkCount;
    }

    int nodeId()
    {
        return nodeId;
    }

    QueuePair qp()
    {
        return qp;
    }

    RegionHandle dataHandle()
    {
        return dataHandle;
    }

    int chunkSizeBytes()
    {
        return chunkSizeBytes;
    }

    int chunkCount()
    {
        return chunkCount;
    }

    /**
     * Reads the whole table again.
     */
    void refresh()
    {
        qp.read(snapshot, CHUNK_ENTRIES_OFFSET, chunkCount * CHUNK_ENTRY_LENGTH, table, CHUNK_ENTRIES_OFFSET);
    }

    void refreshEntry(final int chunk)
    {
        qp.read(snapshot, entryOffset(chunk), CHUNK_ENTRY_LENGTH, table, entryOffset(chunk));
    }

    long entry(final int chunk)
    {
        return snapshot.getLong(entryOffset(chunk));
    }

    int countIn(final int state)
    {
        int count = 0;
        for (int chunk = 0; chunk < chunkCount; chunk++)
        {
            if (state(entry(chunk)) == state)
            {
                count++;
            }
        }
        return count;
    }

    int firstIn(final int state)
    {
        for (int chunk = 0; chunk < chunkCount; chunk++)
        {
            if (state(entry(chunk)) == state)
            {
                return chunk;
            }
        }
        return -1;
    }

    /**
     * @return true if the host's entry held {@code expected} and now holds {@code update}; either way the snapshot
     * holds what the host's entry holds after the call.
     */
    boolean compareAndSwap(final int chunk, final long expected, final long update)
    {
        final long witness = qp.compareAndSwap(table, entryOffset(chunk), expected, update);
        final boolean swapped = witness == expected;
        snapshot.putLong(entryOffset(chunk), swapped ? update : witness);
        return swapped;
    }
}
