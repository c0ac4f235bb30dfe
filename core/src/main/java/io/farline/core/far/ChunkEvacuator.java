package io.farline.core.far;

import io.farline.core.pool.Chunk;
import io.farline.core.pool.EvacuationHandler;
import io.farline.core.pool.PoolClient;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

import static io.farline.core.far.FarMemory.PAGE_SHIFT;
import static io.farline.core.far.FarMemory.PAGE_SIZE_BYTES;

/**
 * Gives a chunk back when its host wants it: the pool asks this borrower to evacuate it, and the far memory notices
 * on its slow path, at its periodic write-back or in {@link FarMemory#doWork()} (through {@link PoolClient#poll}).
 * A replacement is borrowed, the chunk's pages are copied host to host, their home moves, and the old chunk is
 * released. The application goes on writing around it and nothing is lost: dirty lines in the cache simply go to
 * the new home. Single-threaded: the far memory's thread, between its accesses.
 */
final class ChunkEvacuator implements EvacuationHandler
{
    private final StripeMap stripes;
    private final PageHomes homes;
    private final HostLinks links;
    private final PoolClient pool;
    private final StripeWriter stripeWriter;
    private final int chunkSizeBytes;
    private final UnsafeBuffer bounce = new UnsafeBuffer(BufferUtil.allocateDirectAligned(PAGE_SIZE_BYTES, 64));
    private long evacuatedChunks;

    /**
     * @param stripes        the chunks and where each page lives.
     * @param homes          the page-table entries of pages at home, moved with their chunk.
     * @param links          the queue pairs to the hosts.
     * @param pool           the pool client, which lends the replacement and takes the old chunk back.
     * @param stripeWriter   the writer of data and parity lines, or null without redundancy.
     * @param chunkSizeBytes the size of a chunk in bytes.
     */
    ChunkEvacuator(final StripeMap stripes, final PageHomes homes, final HostLinks links, final PoolClient pool,
        final StripeWriter stripeWriter, final int chunkSizeBytes)
    {
        this.stripes = stripes;
        this.homes = homes;
        this.links = links;
        this.pool = pool;
        this.stripeWriter = stripeWriter;
        this.chunkSizeBytes = chunkSizeBytes;
    }

    /**
     * @return chunks moved to another host because their host reclaimed them.
     */
    long evacuatedChunks()
    {
        return evacuatedChunks;
    }

    /**
     * Moves a chunk's pages to a chunk borrowed from elsewhere, because its host wants it back; then releases it.
     * Runs on the application's thread, between its accesses, so the application keeps writing around it: in-flight
     * fetches and write-backs finish first, every page is copied host to host through a bounce page, the pages' home
     * moves, and dirty lines still in the cache go to the new home at their next write-back.
     *
     * @param old the chunk to evacuate; one this far memory does not hold, or whose host is dead or closed, is ignored.
     */
    @Override
    public void onEvacuate(final Chunk old)
    {
        final int slot = stripes.slotOf(old);
        if (slot < 0)
        {
            return;
        }
        if (links.isDead(old.hostNodeId()))
        {
            // Its host stopped or died before this borrower came to move the chunk: nothing can be copied from it.
            // With redundancy the rebuild restores its pages on another host; without, their next access says so.
            return;
        }
        // A stripe's chunks stay on distinct hosts: the replacement comes from a host the group does not use.
        final Chunk replacement = null == stripeWriter ? pool.allocate(1, chunkSizeBytes).get(0) :
            pool.allocateOnDistinctHosts(1, chunkSizeBytes, stripes.groupHosts(stripes.group(slot), slot))
            .get(0);
        links.connect(replacement);
        if (null != stripeWriter)
        {
            stripeWriter.ship();
        }
        links.awaitAll("evacuation of " + old);
        for (int row = 0; row < stripes.pagesPerChunk(); row++)
        {
            final long from = old.offsetBytes() + ((long)row << PAGE_SHIFT);
            final long to = replacement.offsetBytes() + ((long)row << PAGE_SHIFT);
            links.postRead(HostLinks.wrId(HostLinks.KIND_EVACUATE, row), bounce, 0, PAGE_SIZE_BYTES,
                old.hostNodeId(), from);
            links.awaitAll("evacuation read of row " + row + " of " + old);
            links.postWrite(HostLinks.wrId(HostLinks.KIND_EVACUATE, row), bounce, 0, PAGE_SIZE_BYTES,
                replacement.hostNodeId(), to);
            links.awaitAll("evacuation write of row " + row + " to " + replacement);
        }
        stripes.replace(slot, replacement);
        if (stripes.isDataSlot(slot))
        {
            homes.onHomeMoved(slot);
        }
        pool.release(List.of(old));
        evacuatedChunks++;
    }
}
