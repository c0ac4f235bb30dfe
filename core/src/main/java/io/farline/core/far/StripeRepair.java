package io.farline.core.far;

import io.farline.core.parity.ErasureCodec;
import io.farline.core.pool.Chunk;
import io.farline.core.pool.PoolClient;
import io.farline.core.pool.PoolException;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What far memory with parity does when a memory host dies: it notices (transport liveness), gives each of the
 * host's slots a replacement chunk on a host outside the slot's group, marks the slot's rows lost, and rebuilds
 * them onto the replacement, each from the other k pages of its stripe. Rows are rebuilt a few at a time between
 * the application's accesses ({@link #rebuildSome}), and at once when the application needs one: a read of a lost
 * page is served degraded, reconstructed from the survivors (and written to the replacement on the way), and a
 * write-back to a lost row first rebuilds it.
 * <p>
 * Reconstruction reads the home copies of the stripe, after every outstanding WRITE has completed, so the data and
 * parity it combines are those of the same write-backs (the one writer of the stripe is this far memory).
 * Progress is published as two counters of the compute node, which {@code ./farline stat} shows. Single-threaded.
 */
final class StripeRepair
{
    /** Counter type id of the rows (pages) still to rebuild. */
    static final int LOST_PAGES_TYPE_ID = 101;
    /** Counter type id of the rows (pages) rebuilt so far. */
    static final int REBUILT_PAGES_TYPE_ID = 102;

    private static final long REPLACE_RETRY_NS = 1_000_000_000L;

    /** Told when a data slot's chunk changes, so that page-table entries of pages at home follow it. */
    interface HomeListener
    {
        void onHomeMoved(int dataSlot);
    }

    private final StripeMap map;
    private final HostLinks links;
    private final ErasureCodec codec;
    private final PoolClient pool;
    private final int chunkSizeBytes;
    private final HomeListener homeListener;
    private final byte[][] shards;
    private final UnsafeBuffer[] shardBuffers;
    private final boolean[] present;
    private final byte[][] dataShards;
    private final byte[][] parityShards;
    private final AtomicCounter lostPagesCounter;
    private final AtomicCounter rebuiltPagesCounter;
    private long rebuiltPages;
    private long degradedReads;
    private long hostDeaths;
    /** Dead hosts counted in {@link #hostDeaths}: those that held slots of this far memory when found dead. */
    private final IntHashSet countedDeadHosts = new IntHashSet();
    private long nextReplaceAttemptNs;
    private String lastReplaceFailure;

    StripeRepair(final StripeMap map, final HostLinks links, final ErasureCodec codec, final PoolClient pool,
        final int chunkSizeBytes, final HomeListener homeListener, final AtomicCounter lostPagesCounter,
        final AtomicCounter rebuiltPagesCounter)
    {
        this.map = map;
        this.links = links;
        this.codec = codec;
        this.pool = pool;
        this.chunkSizeBytes = chunkSizeBytes;
        this.homeListener = homeListener;
        final int width = map.dataPages() + map.parityPages();
        this.shards = new byte[width][FarMemory.PAGE_SIZE_BYTES];
        this.shardBuffers = new UnsafeBuffer[width];
        for (int i = 0; i < width; i++)
        {
            shardBuffers[i] = new UnsafeBuffer(shards[i]);
        }
        this.present = new boolean[width];
        this.dataShards = Arrays.copyOfRange(shards, 0, map.dataPages());
        this.parityShards = Arrays.copyOfRange(shards, map.dataPages(), width);
        this.lostPagesCounter = lostPagesCounter;
        this.rebuiltPagesCounter = rebuiltPagesCounter;
    }

    /**
     * Notices hosts that died: their slots are lost and get replacements (if the pool can lend them).
     *
     * @return the number of slots newly lost.
     */
    int checkHosts()
    {
        final int newlyDead = links.refreshDeadHosts();
        if (0 == newlyDead)
        {
            return 0;
        }
        int lost = 0;
        for (int slot = 0; slot < map.slotCount(); slot++)
        {
            final int host = map.host(slot);
            if (links.isKnownDead(host))
            {
                if (countedDeadHosts.add(host))
                {
                    hostDeaths++; // a host that stopped after its chunks moved away cost nothing: not counted
                }
                map.markLost(slot);
                lost++;
                tryReplace(slot);
            }
        }
        publish();
        return lost;
    }

    /**
     * Computes every parity page from the data pages, as they are: a freshly borrowed chunk holds whatever its last
     * borrower left in it.
     */
    void encodeAll()
    {
        for (int group = 0; group < map.groupCount(); group++)
        {
            for (int row = 0; row < map.pagesPerChunk(); row++)
            {
                for (int member = 0; member < map.dataPages(); member++)
                {
                    final int slot = map.slot(group, member);
                    links.postRead(HostLinks.wrId(HostLinks.KIND_REBUILD, row), shardBuffers[member], 0,
                        FarMemory.PAGE_SIZE_BYTES, map.host(slot), map.remoteOffset(slot, row));
                }
                awaitRow("reads to encode", group, -1, row);
                codec.encode(dataShards, parityShards);
                for (int j = 0; j < map.parityPages(); j++)
                {
                    final int slot = map.slot(group, map.dataPages() + j);
                    links.postWrite(HostLinks.wrId(HostLinks.KIND_PARITY, row), shardBuffers[map.dataPages() + j], 0,
                        FarMemory.PAGE_SIZE_BYTES, map.host(slot), map.remoteOffset(slot, row));
                }
                awaitRow("parity writes", group, -1, row);
            }
        }
    }

    /**
     * Rebuilds up to {@code rows} lost rows, in slot order.
     *
     * @return rows rebuilt.
     */
    int rebuildSome(final int rows)
    {
        if (map.lostRowCount() > 0 && System.nanoTime() - nextReplaceAttemptNs >= 0)
        {
            // Slots still on a dead host found no replacement when it died: ask the pool again, once a second.
            nextReplaceAttemptNs = System.nanoTime() + REPLACE_RETRY_NS;
            for (int slot = 0; slot < map.slotCount(); slot++)
            {
                if (map.hasLostRows(slot) && links.isKnownDead(map.host(slot)))
                {
                    tryReplace(slot);
                }
            }
        }
        int done = 0;
        for (int slot = 0; slot < map.slotCount() && done < rows && map.lostRowCount() > 0; slot++)
        {
            while (done < rows && map.hasLostRows(slot) && !links.isKnownDead(map.host(slot)))
            {
                rebuildRow(slot, map.firstLostRow(slot));
                done++;
            }
        }
        return done;
    }

    /**
     * Rebuilds every lost row now, borrowing replacements where need be: for {@link FarMemory#detach()}, since which
     * rows of a replacement chunk are not rebuilt yet is known only to this instance, and a reopen would take what
     * such a row holds (whatever the chunk's last borrower left there) for the page.
     *
     * @throws FarMemoryException if a slot can get no replacement, or a stripe lost more than m pages.
     */
    void rebuildAll()
    {
        for (int slot = 0; slot < map.slotCount(); slot++)
        {
            while (map.hasLostRows(slot))
            {
                rebuildRow(slot, map.firstLostRow(slot)); // a replacement that dies under it is replaced in turn
            }
        }
    }

    /**
     * Makes a lost row whole again on its slot's replacement, borrowing the replacement now if need be.
     *
     * @return the row's content, valid until the next call.
     * @throws FarMemoryException if no host can lend a replacement, or the stripe lost more than m pages.
     */
    byte[] rebuildRow(final int slot, final int row)
    {
        if (links.isKnownDead(map.host(slot)) && !tryReplace(slot))
        {
            throw new FarMemoryException("slot " + slot + " (" + describeRow(slot, row) + ") lost its host " +
                map.host(slot) + " and no host outside its stripe's hosts " +
                Arrays.toString(map.groupHosts(map.group(slot), slot)) + " can lend a replacement chunk (" +
                lastReplaceFailure + "); add a memory host");
        }
        final byte[] content = reconstruct(slot, row);
        links.postWrite(HostLinks.wrId(HostLinks.KIND_REBUILD, row), shardBuffers[map.member(slot)], 0,
            FarMemory.PAGE_SIZE_BYTES, map.host(slot), map.remoteOffset(slot, row));
        awaitRow("the rebuild WRITE", map.group(slot), slot, row);
        checkHosts();
        if (!links.isKnownDead(map.host(slot))) // else the replacement died under the rebuild: lost again
        {
            map.markRebuilt(slot, row);
            rebuiltPages++;
        }
        publish();
        return content;
    }

    /**
     * Serves a read of a lost page: reconstructed from its stripe, and rebuilt onto its replacement if it has one.
     *
     * @return the page, valid until the next call.
     */
    byte[] degradedRead(final int slot, final int row)
    {
        degradedReads++;
        return links.isKnownDead(map.host(slot)) ? reconstruct(slot, row) : rebuildRow(slot, row);
    }

    /**
     * Rebuilds one shard of a stripe from k surviving ones.
     *
     * @return the shard, valid until the next call.
     * @throws FarMemoryException naming the pages lost if fewer than k shards survive.
     */
    private byte[] reconstruct(final int slot, final int row)
    {
        awaitRow("WRITEs before reconstructing", map.group(slot), slot, row);
        final int group = map.group(slot);
        final int width = map.dataPages() + map.parityPages();
        int survivors = 0;
        for (int member = 0; member < width; member++)
        {
            final int other = map.slot(group, member);
            present[member] = false;
            if (survivors < map.dataPages() && other != slot && !map.isLost(other, row) &&
                links.tryPostRead(HostLinks.wrId(HostLinks.KIND_REBUILD, row), shardBuffers[member], 0,
                FarMemory.PAGE_SIZE_BYTES, map.host(other), map.remoteOffset(other, row)))
            {
                present[member] = true;
                survivors++;
            }
        }
        if (survivors < map.dataPages())
        {
            links.awaitAll("reads of a stripe with too many losses");
            throw new FarMemoryException(describeLoss(group, row));
        }
        awaitRow("READs to reconstruct", map.group(slot), slot, row);
        codec.decode(shards, present);
        return shards[map.member(slot)];
    }

    /**
     * Waits for every outstanding request of a stripe row; the message of a failure names the row (built only then).
     *
     * @param slot a slot of the row, or -1 to name the row by its group.
     */
    private void awaitRow(final String what, final int group, final int slot, final int row)
    {
        try
        {
            links.awaitAll(what);
        }
        catch (final FarMemoryException ex)
        {
            throw new FarMemoryException(ex.getMessage() + " (" + (slot < 0 ?
                "stripe row " + row + " of group " + group : describeRow(slot, row)) + ")", ex);
        }
    }

    private boolean tryReplace(final int slot)
    {
        final Chunk lost = map.chunk(slot);
        // Not on a host of the stripe, nor on the lost one (the pool client also leaves out every host it knows dead).
        final int[] excluded = IntStream.concat(Arrays.stream(map.groupHosts(map.group(slot), slot)),
            IntStream.of(lost.hostNodeId())).toArray();
        final Chunk replacement;
        try
        {
            replacement = pool.allocateOnDistinctHosts(1, chunkSizeBytes, excluded).get(0);
        }
        catch (final PoolException ex)
        {
            lastReplaceFailure = ex.getMessage();
            return false; // stays lost, served degraded; rebuildSome asks again later
        }
        links.connect(replacement);
        map.replace(slot, replacement);
        pool.release(List.of(lost)); // the controller forgets a dead host's chunks; this client forgets it too
        if (map.isDataSlot(slot))
        {
            homeListener.onHomeMoved(slot);
        }
        return true;
    }

    private String describeRow(final int slot, final int row)
    {
        return map.isDataSlot(slot) ? "page " + map.pageAt(slot, row) :
            "parity page " + (map.member(slot) - map.dataPages()) + " of stripe row " + row + " of group " +
            map.group(slot);
    }

    private String describeLoss(final int group, final int row)
    {
        final StringBuilder sb = new StringBuilder("stripe row ").append(row).append(" of group ").append(group)
            .append(" lost more than ").append(map.parityPages()).append(" of its ")
            .append(map.dataPages() + map.parityPages()).append(" pages; pages lost:");
        for (int member = 0; member < map.dataPages(); member++)
        {
            final int slot = map.slot(group, member);
            if (map.isLost(slot, row) || links.isKnownDead(map.host(slot)))
            {
                sb.append(' ').append(map.pageAt(slot, row)).append(" (host ").append(map.host(slot)).append(')');
            }
        }
        return sb.toString();
    }

    private void publish()
    {
        if (null != lostPagesCounter)
        {
            lostPagesCounter.setRelease(map.lostRowCount());
            rebuiltPagesCounter.setRelease(rebuiltPages);
        }
    }

    long rebuiltPages()
    {
        return rebuiltPages;
    }

    long degradedReads()
    {
        return degradedReads;
    }

    long hostDeaths()
    {
        return hostDeaths;
    }
}
