package io.farline.core.pool;

import io.farline.transport.AccessFlags;
import io.farline.transport.Node;
import io.farline.transport.PeerState;
import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import io.farline.transport.RegisteredRegion;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

import static io.farline.core.pool.ChunkTableDescriptor.*;

/**
 * A memory host: donates memory to the pool. It registers two regions, the data (the donated chunks, which borrowers
 * READ and WRITE one-sidedly) and the chunk table ({@link ChunkTableDescriptor}, which the controller changes by
 * one-sided compare-and-swap), and announces the table to the pool controller every {@link #ANNOUNCE_INTERVAL_MS},
 * so that a controller that restarts learns of it again. Serving the pool takes no CPU of the host's: borrowers and
 * the controller work on its memory directly, as over RDMA.
 * <p>
 * Threading: {@link #doWork()} on one thread (an agent runner or the caller); {@link #requestReclaim} and the
 * read-only queries from any thread. The host owns its regions; {@link #close()} deregisters them. A clean stop
 * first takes the donation back ({@link #withdrawDonation}), so that borrowers move their data elsewhere; what is still
 * lent when the host closes is lost to its borrowers as with the host's death.
 */
public final class MemoryHost implements Agent, AutoCloseable
{
    /** How often the host announces itself to the controller, and publishes its chunk counts. */
    public static final long ANNOUNCE_INTERVAL_MS = 200;
    /** Counter type id of the chunk counts, one counter per state, by state: free, lent, reclaiming, withdrawn. */
    public static final int CHUNKS_IN_STATE_TYPE_ID = 110;

    private static final int STATE_COUNT = STATE_WITHDRAWN + 1;

    private final Node node;
    private final RegisteredRegion data;
    private final RegisteredRegion table;
    private final AtomicBuffer tableBuffer;
    private final int chunkSizeBytes;
    private final int chunkCount;
    private final MutableDirectBuffer message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(256, 64));
    private final AtomicCounter[] chunksInState = new AtomicCounter[STATE_COUNT];
    private final int[] stateCounts = new int[STATE_COUNT];
    private QueuePair controller;
    private long nextAnnounceMs;
    private long announcements;

    private MemoryHost(final Node node, final RegisteredRegion data, final RegisteredRegion table,
        final int chunkSizeBytes, final int chunkCount)
    {
        this.node = node;
        this.data = data;
        this.table = table;
        this.tableBuffer = table.buffer();
        this.chunkSizeBytes = chunkSizeBytes;
        this.chunkCount = chunkCount;
        // What ./farline stat shows as the host's pool usage.
        for (int state = 0; state < STATE_COUNT; state++)
        {
            chunksInState[state] = node.newCounter("pool: chunks " + stateName(state) + " (of " + chunkCount + ")",
                CHUNKS_IN_STATE_TYPE_ID + state);
        }
        publishChunkCounts();
    }

    /**
     * Registers the donated memory and its chunk table, every chunk free.
     *
     * @param node           the host's node.
     * @param donateBytes    memory to donate, a multiple of the chunk size, at most 1 GiB.
     * @param chunkSizeBytes the pool's chunk size, a power of two from 64 KiB to 256 MiB.
     * @return the host.
     * @throws IllegalArgumentException naming what is wrong with the sizes.
     */
    public static MemoryHost start(final Node node, final long donateBytes, final int chunkSizeBytes)
    {
        if (donateBytes % chunkSizeBytes != 0)
        {
            throw new IllegalArgumentException("donation of " + donateBytes + " bytes is not a multiple of the chunk " +
                "size " + chunkSizeBytes);
        }
        final String problem = check(chunkSizeBytes, donateBytes / chunkSizeBytes);
        if (null != problem)
        {
            throw new IllegalArgumentException(problem);
        }
        final int chunkCount = (int)(donateBytes / chunkSizeBytes);
        final RegisteredRegion data = node.registerRegion(donateBytes,
            AccessFlags.LOCAL_WRITE | AccessFlags.REMOTE_READ | AccessFlags.REMOTE_WRITE);
        final RegisteredRegion table;
        try
        {
            table = node.registerRegion(tableLengthBytes(chunkCount),
                AccessFlags.LOCAL_WRITE | AccessFlags.REMOTE_READ | AccessFlags.REMOTE_ATOMIC);
        }
        catch (final RuntimeException ex)
        {
            data.close();
            throw ex;
        }
        final AtomicBuffer buffer = table.buffer();
        buffer.putLong(CHUNK_MAGIC_OFFSET, CHUNK_MAGIC);
        buffer.putInt(CHUNK_HOST_NODE_ID_OFFSET, node.nodeId());
        buffer.putInt(CHUNK_SIZE_OFFSET, chunkSizeBytes);
        buffer.putInt(CHUNK_COUNT_OFFSET, chunkCount);
        buffer.putInt(CHUNK_DATA_REGION_ID_OFFSET, data.regionId());
        buffer.putLong(CHUNK_DATA_RKEY_OFFSET, data.rkey());
        for (int i = 0; i < chunkCount; i++)
        {
            buffer.putLong(entryOffset(i), entry(STATE_FREE, 0, 0));
        }
        // Publishes the header and entries above to readers, which check the version first.
        buffer.putIntRelease(CHUNK_LAYOUT_VERSION_OFFSET, CHUNK_LAYOUT_VERSION);
        return new MemoryHost(node, data, table, chunkSizeBytes, chunkCount);
    }

    /**
     * @return the host's node id.
     */
    public int nodeId()
    {
        return node.nodeId();
    }

    /**
     * @return the chunk table's handle, which the host announces.
     */
    public RegionHandle tableHandle()
    {
        return table.handle();
    }

    /**
     * @return the data region's handle.
     */
    public RegionHandle dataHandle()
    {
        return data.handle();
    }

    /**
     * @return the chunk size.
     */
    public int chunkSizeBytes()
    {
        return chunkSizeBytes;
    }

    /**
     * @return the number of chunks donated.
     */
    public int chunkCount()
    {
        return chunkCount;
    }

    /**
     * @param state one of {@link ChunkTableDescriptor}'s {@code STATE_} values.
     * @return how many chunks are in it now.
     */
    public int chunksIn(final int state)
    {
        int count = 0;
        for (int i = 0; i < chunkCount; i++)
        {
            if (state(tableBuffer.getLongVolatile(entryOffset(i))) == state)
            {
                count++;
            }
        }
        return count;
    }

    /**
     * @return how many announcements reached a controller.
     */
    public long announcements()
    {
        return announcements;
    }

    /**
     * Asks the controller to take back memory: free chunks are withdrawn at once, lent ones after their borrowers
     * have moved their data elsewhere. Progress shows in {@link #chunksIn}({@code STATE_WITHDRAWN}).
     *
     * @param bytes memory wanted back; rounded up to whole chunks.
     * @return the number of chunks asked for.
     * @throws IllegalStateException if no controller is reachable.
     * @throws IllegalArgumentException if {@code bytes} is not positive or exceeds the donation.
     */
    public int requestReclaim(final long bytes)
    {
        if (bytes <= 0 || bytes > (long)chunkCount * chunkSizeBytes)
        {
            throw new IllegalArgumentException("reclaim of " + bytes + " bytes is outside 1.." +
                (long)chunkCount * chunkSizeBytes + " (the donation)");
        }
        final int chunks = (int)((bytes + chunkSizeBytes - 1) / chunkSizeBytes);
        synchronized (message)
        {
            final QueuePair qp = connectToController();
            if (null == qp)
            {
                throw new IllegalStateException("no pool controller is running on " + node.fabric().directory());
            }
            final int length = PoolMessages.encodeReclaim(message, chunks);
            sendBlocking(qp, length);
        }
        return chunks;
    }

    /**
     * Takes the whole donation back before a clean stop, so that no borrower loses data to it: withdraws the free
     * chunks itself at once, so that none is lent during the stop, asks the controller for the lent ones (withdrawn
     * once their borrowers have moved their data to other hosts), and does the host's work until no chunk is lent or
     * being reclaimed, or the timeout passes. Borrowers move their data when they next work (a far memory's accesses or
     * duty cycle), so an idle borrower may keep its chunks past the timeout.
     * <p>
     * Call it from the thread that runs {@link #doWork()}, then {@link #close()}.
     *
     * @param timeoutMs how long to wait for borrowers, in milliseconds.
     * @return the chunks still lent or being reclaimed: 0 when every borrower moved away. Those left are lost to their
     * borrowers when the host closes, as with its death: served from parity or replicas where the borrower keeps them.
     */
    public int withdrawDonation(final long timeoutMs)
    {
        withdrawFreeChunks();
        try
        {
            requestReclaim((long)chunkCount * chunkSizeBytes);
        }
        catch (final IllegalStateException ex)
        {
            return chunksInUse(); // no controller to ask: the borrowers cannot be told to move
        }
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        int inUse;
        while ((inUse = chunksInUse()) > 0 && System.nanoTime() - deadlineNs < 0)
        {
            if (0 == doWork())
            {
                LockSupport.parkNanos(1_000_000L);
            }
        }
        publishChunkCounts();
        return inUse;
    }

    /**
     * Withdraws every free chunk here, with the compare-and-swap the controller uses on this table, so that none is
     * lent from now on: a controller that tries to lend one finds its entry changed. A chunk its borrower gives back
     * before the controller has marked it for reclaim turns free again, so this runs again before the count that
     * decides what {@link #close()} keeps.
     */
    private void withdrawFreeChunks()
    {
        for (int i = 0; i < chunkCount; i++)
        {
            long entry;
            do
            {
                entry = tableBuffer.getLongVolatile(entryOffset(i));
            }
            while (state(entry) == STATE_FREE &&
                !tableBuffer.compareAndSetLong(entryOffset(i), entry, next(entry, STATE_WITHDRAWN, 0)));
        }
    }

    private int chunksInUse()
    {
        return chunksIn(STATE_LENT) + chunksIn(STATE_RECLAIMING);
    }

    /**
     * Announces the host to the controller when due, and drops any message sent to it.
     *
     * @return work done.
     */
    @Override
    public int doWork()
    {
        int work = node.receive((type, buffer, index, length) -> { }, 16);
        final long nowMs = System.currentTimeMillis();
        if (nowMs - nextAnnounceMs >= 0)
        {
            nextAnnounceMs = nowMs + ANNOUNCE_INTERVAL_MS;
            publishChunkCounts();
            synchronized (message)
            {
                final QueuePair qp = connectToController();
                if (null != qp && QueuePair.OK == qp.send(message, 0,
                    PoolMessages.encodeHostOnline(message, table.handle())))
                {
                    announcements++;
                    work++;
                }
            }
        }
        return work;
    }

    private void publishChunkCounts()
    {
        Arrays.fill(stateCounts, 0);
        for (int i = 0; i < chunkCount; i++)
        {
            stateCounts[state(tableBuffer.getLongVolatile(entryOffset(i)))]++;
        }
        for (int state = 0; state < STATE_COUNT; state++)
        {
            chunksInState[state].setRelease(stateCounts[state]);
        }
    }

    @Override
    public String roleName()
    {
        return "memory-host-" + node.nodeId();
    }

    /**
     * Deregisters the chunk table, so that the controller lends nothing more from this host, and the donated memory
     * unless some of it is still lent (see {@link #withdrawDonation}). Memory still lent stays registered until the
     * node closes: the node marks itself closed before it deregisters its regions, so borrowers see their host closed,
     * as dead, and serve its pages from parity where they keep it, rather than failing on a region that vanished under
     * a live host. The node stays open: its owner closes it.
     */
    @Override
    public void close()
    {
        synchronized (message)
        {
            if (null != controller)
            {
                controller.close();
                controller = null;
            }
        }
        withdrawFreeChunks(); // then nothing is lent between the count and the table's deregistration
        final boolean stillLent = chunksInUse() > 0;
        table.close();
        if (!stillLent)
        {
            data.close();
        }
        CloseHelper.closeAll(chunksInState);
    }

    private QueuePair connectToController()
    {
        final int controllerId = ControllerLocator.read(node.fabric());
        if (null != controller && (controller.peerNodeId() != controllerId || controller.isClosed() ||
            controller.peerState() == PeerState.DEAD))
        {
            controller.close();
            controller = null;
        }
        if (null == controller && controllerId > 0)
        {
            try
            {
                controller = node.connect(controllerId);
            }
            catch (final RuntimeException ex)
            {
                return null; // not up yet, or gone: try again at the next announcement
            }
        }
        return controller;
    }

    private void sendBlocking(final QueuePair qp, final int length)
    {
        final int result = PoolSends.send(qp, message, length, 5_000);
        if (QueuePair.BACK_PRESSURED == result)
        {
            throw new IllegalStateException("the send lane to the pool controller stayed full for 5 s");
        }
        if (QueuePair.PEER_DEAD == result)
        {
            throw new IllegalStateException("the pool controller (node " + qp.peerNodeId() + ") is dead");
        }
    }
}
