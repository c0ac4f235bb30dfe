package io.farline.core.pool;

import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import io.farline.transport.RemoteRegion;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.SemanticVersion;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Set;
import java.util.TreeSet;

import static io.farline.core.pool.ChunkTableDescriptor.*;

/**
 * The controller's view of one memory host: a queue pair to it, its chunk table as last read, and the one-sided
 * operations on that table. The snapshot is a cache, never the truth: every change is a compare-and-swap against the
 * host's own entry, and a failed swap refreshes the snapshot's entry.
 * <p>
 * The operations do not throw: a verb that fails (the host is dead to this node, its table deregistered, the queue
 * pair closed) goes to the view's {@link FailureHandler}, and the operation says it failed. So a loop over chunks or
 * hosts is never left half done by one host's failure. Threading: the controller's duty cycle thread.
 */
final class HostView
{
    /** {@link #compareAndSwap}: the host's entry held the expected value and now holds the update. */
    static final int SWAPPED = 1;
    /** {@link #compareAndSwap}: the host's entry held another value, which the snapshot now holds. */
    static final int NOT_SWAPPED = 0;
    /** {@link #compareAndSwap}: the verb failed, and the failure went to the {@link FailureHandler}. */
    static final int FAILED = -1;
    /** Readings of one entry a move of that chunk makes before it gives up on a contended entry. */
    private static final int MOVE_ATTEMPTS = 8;

    /**
     * Told of a verb on a host's table that failed; decides what becomes of the host.
     */
    @FunctionalInterface
    interface FailureHandler
    {
        void onFailure(HostView host, RuntimeException ex);
    }

    private final int nodeId;
    private final QueuePair qp;
    private final RemoteRegion table;
    private final UnsafeBuffer snapshot;
    private final RegionHandle dataHandle;
    private final int chunkSizeBytes;
    private final int chunkCount;
    private final FailureHandler failureHandler;

    private HostView(final int nodeId, final QueuePair qp, final RemoteRegion table, final UnsafeBuffer snapshot,
        final RegionHandle dataHandle, final int chunkSizeBytes, final int chunkCount,
        final FailureHandler failureHandler)
    {
        this.nodeId = nodeId;
        this.qp = qp;
        this.table = table;
        this.snapshot = snapshot;
        this.dataHandle = dataHandle;
        this.chunkSizeBytes = chunkSizeBytes;
        this.chunkCount = chunkCount;
        this.failureHandler = failureHandler;
    }

    /**
     * Reads the chunk table a host announced, checks it, and makes the view of the host.
     *
     * @param qp             a queue pair to the host, owned by the view from now on (the caller closes it if this
     *                       throws).
     * @param tableHandle    the table the host announced.
     * @param failureHandler told of verbs on the table that fail later.
     * @return the view.
     * @throws IllegalArgumentException if the table is not a chunk table this code reads, names another host, or its
     *                                  announced length is not one a table can have or its region can hold.
     * @throws io.farline.transport.VerbException if the table cannot be attached or read.
     */
    static HostView attach(final QueuePair qp, final RegionHandle tableHandle, final FailureHandler failureHandler)
    {
        final RemoteRegion table = qp.attach(tableHandle);
        final String badLength = checkAnnouncedLength(tableHandle.lengthBytes(), table.lengthBytes());
        if (null != badLength)
        {
            throw new IllegalArgumentException("host " + tableHandle.nodeId() + " announced a bad chunk table: " +
                badLength);
        }
        final UnsafeBuffer snapshot = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            (int)tableHandle.lengthBytes(), 64));
        qp.read(snapshot, 0, snapshot.capacity(), table, 0);
        final String problem = checkTable(tableHandle, snapshot);
        if (null != problem)
        {
            throw new IllegalArgumentException("host " + tableHandle.nodeId() + " announced a bad chunk table: " +
                problem);
        }
        final int chunkCount = snapshot.getInt(CHUNK_COUNT_OFFSET);
        final int chunkSize = snapshot.getInt(CHUNK_SIZE_OFFSET);
        final RegionHandle dataHandle = new RegionHandle(tableHandle.nodeId(),
            snapshot.getInt(CHUNK_DATA_REGION_ID_OFFSET), snapshot.getLong(CHUNK_DATA_RKEY_OFFSET),
            (long)chunkCount * chunkSize);
        return new HostView(tableHandle.nodeId(), qp, table, snapshot, dataHandle, chunkSize, chunkCount,
            failureHandler);
    }

    /**
     * The announced length sizes the snapshot, so it is checked before anything is allocated: a table holds at least
     * one entry, no valid donation needs more than {@link ChunkTableDescriptor#maxTableLengthBytes()}, and the host's
     * region must hold what it announced.
     */
    private static String checkAnnouncedLength(final long announcedBytes, final int regionBytes)
    {
        if (announcedBytes < tableLengthBytes(1) || announcedBytes > maxTableLengthBytes())
        {
            return "its announced length of " + announcedBytes + " bytes is outside " + tableLengthBytes(1) + ".." +
                maxTableLengthBytes();
        }
        if (announcedBytes > regionBytes)
        {
            return "its announced length of " + announcedBytes + " bytes is longer than its region, " + regionBytes +
                " bytes";
        }
        return null;
    }

    private static String checkTable(final RegionHandle handle, final DirectBuffer snapshot)
    {
        if (snapshot.capacity() < CHUNK_ENTRIES_OFFSET || snapshot.getLong(CHUNK_MAGIC_OFFSET) != CHUNK_MAGIC)
        {
            return "no chunk table magic";
        }
        final int version = snapshot.getInt(CHUNK_LAYOUT_VERSION_OFFSET);
        if (SemanticVersion.major(version) != CHUNK_MAJOR_VERSION)
        {
            return "layout version " + SemanticVersion.toString(version) + ", this code reads major " +
                CHUNK_MAJOR_VERSION;
        }
        if (snapshot.getInt(CHUNK_HOST_NODE_ID_OFFSET) != handle.nodeId())
        {
            return "it names host " + snapshot.getInt(CHUNK_HOST_NODE_ID_OFFSET);
        }
        final int chunkCount = snapshot.getInt(CHUNK_COUNT_OFFSET);
        final String sizes = check(snapshot.getInt(CHUNK_SIZE_OFFSET), chunkCount);
        if (null != sizes)
        {
            return sizes;
        }
        if (tableLengthBytes(chunkCount) > snapshot.capacity())
        {
            return chunkCount + " chunks need a table of " + tableLengthBytes(chunkCount) + " bytes, it has " +
                snapshot.capacity();
        }
        return null;
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
     *
     * @return true if read; false if the READ failed (the failure handler was told).
     */
    boolean refresh()
    {
        return read(CHUNK_ENTRIES_OFFSET, chunkCount * CHUNK_ENTRY_LENGTH);
    }

    /**
     * Reads one entry again.
     *
     * @return true if read; false if the READ failed (the failure handler was told).
     */
    boolean refreshEntry(final int chunk)
    {
        return read(entryOffset(chunk), CHUNK_ENTRY_LENGTH);
    }

    private boolean read(final int offset, final int length)
    {
        try
        {
            qp.read(snapshot, offset, length, table, offset);
            return true;
        }
        catch (final RuntimeException ex)
        {
            failureHandler.onFailure(this, ex);
            return false;
        }
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
     * The one way the controller changes a host's table.
     *
     * @return {@link #SWAPPED} if the host's entry held {@code expected} and now holds {@code update},
     * {@link #NOT_SWAPPED} if it held another value, and in both cases the snapshot holds what the entry holds after
     * the call; {@link #FAILED} if the verb failed (the failure handler was told).
     */
    int compareAndSwap(final int chunk, final long expected, final long update)
    {
        final long witness;
        try
        {
            witness = qp.compareAndSwap(table, entryOffset(chunk), expected, update);
        }
        catch (final RuntimeException ex)
        {
            failureHandler.onFailure(this, ex);
            return FAILED;
        }
        final boolean swapped = witness == expected;
        snapshot.putLong(entryOffset(chunk), swapped ? update : witness);
        return swapped ? SWAPPED : NOT_SWAPPED;
    }

    /**
     * @return the nodes the snapshot's chunks are lent to (reclaiming ones included), parked chunks' owner 0 left out.
     */
    Set<Integer> borrowers()
    {
        final Set<Integer> owners = new TreeSet<>();
        for (int chunk = 0; chunk < chunkCount; chunk++)
        {
            final long entry = entry(chunk);
            if (owner(entry) != 0 && (state(entry) == STATE_LENT || state(entry) == STATE_RECLAIMING))
            {
                owners.add(owner(entry));
            }
        }
        return owners;
    }

    /**
     * Gives a chunk lent to {@code borrower} back: free again, or withdrawn if the host is reclaiming it. A chunk that
     * is not this borrower's (a stale or forged release) is left as it is; a lost race reads the entry again.
     *
     * @param chunk     the chunk, in range.
     * @param borrower  the node it must be lent to.
     * @param readFirst true if the snapshot's entry may be stale: read it before the first try.
     */
    void giveBack(final int chunk, final int borrower, final boolean readFirst)
    {
        for (int attempt = 0; attempt < MOVE_ATTEMPTS; attempt++)
        {
            if ((readFirst || attempt > 0) && !refreshEntry(chunk))
            {
                return;
            }
            final long entry = entry(chunk);
            if (owner(entry) != borrower || (state(entry) != STATE_LENT && state(entry) != STATE_RECLAIMING))
            {
                return;
            }
            final int nextState = state(entry) == STATE_RECLAIMING ? STATE_WITHDRAWN : STATE_FREE;
            if (NOT_SWAPPED != compareAndSwap(chunk, entry, next(entry, nextState, 0)))
            {
                return;
            }
        }
    }

    /**
     * Moves a lent chunk from one owner to another (0: parked, lent to no node), by compare-and-swap on a fresh
     * reading, again after a lost race.
     *
     * @param chunk the chunk, in range.
     * @param from  the owner it must have.
     * @param to    its next owner.
     * @return true if moved; false if the chunk is not lent to {@code from}, or a verb failed.
     */
    boolean transfer(final int chunk, final int from, final int to)
    {
        for (int attempt = 0; attempt < MOVE_ATTEMPTS; attempt++)
        {
            if (!refreshEntry(chunk))
            {
                return false;
            }
            final long entry = entry(chunk);
            if (state(entry) != STATE_LENT || owner(entry) != from)
            {
                return false;
            }
            final int swapped = compareAndSwap(chunk, entry, next(entry, STATE_LENT, to));
            if (NOT_SWAPPED != swapped)
            {
                return SWAPPED == swapped;
            }
        }
        return false;
    }
}
