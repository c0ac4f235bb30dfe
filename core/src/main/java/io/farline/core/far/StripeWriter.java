package io.farline.core.far;

import io.farline.core.parity.ErasureCodec;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Write-back with parity, at line granularity: only the dirty lines of a page and their parity deltas travel.
 * <p>
 * For a batch of dirty pieces (runs of lines within one page), it READs the old content of those lines from the
 * page's home and from each parity page of its stripe; computes, per parity page,
 * {@code parity ^= coefficient * (old data ^ new data)} over those lines only; then WRITEs the new lines home and
 * the new parity lines to the parity hosts. Two pieces of one batch never cover the same lines of one stripe (the
 * batch is shipped first), so every parity line is read after the previous update of it was written: requests on
 * one queue pair are executed in order.
 * <p>
 * With replicas there is nothing to compute: the new lines are written to the page's host and to each copy.
 * <p>
 * Every WRITE carries the frame the lines came from, so that the far memory frees a frame being reclaimed only once
 * all of its hosts have confirmed.
 * <p>
 * <b>One writer per stripe.</b> The delta is only right if nobody else changed the page or its parity between the
 * READ and the WRITE: the far memory that borrowed the stripe's chunks is their only writer (the pool lends a chunk
 * to one node, and far memory is used by one thread at a time), so no distributed lock is needed.
 * <p>
 * <b>Lost rows</b> (a host died) are rebuilt before the batch reads them, and a host found dead while the batch is
 * read makes it start again. A WRITE to a host that died on the way fails quietly: the parity WRITEs of the same
 * lines carry the change, and the rebuild restores it. Single-threaded; allocates nothing.
 */
final class StripeWriter
{
    private static final int BATCH_PIECES = 32;
    private static final int FRAME_SHIFT = 12;

    private final StripeMap map;
    private final HostLinks links;
    private final ErasureCodec codec;
    private final StripeRepair repair;
    private final DirectBuffer frames;
    private final int parityPages;
    private final boolean mirrored;
    private final int[] piecePage = new int[BATCH_PIECES];
    private final int[] pieceOffset = new int[BATCH_PIECES];
    private final int[] pieceLength = new int[BATCH_PIECES];
    private final int[] pieceFrameOffset = new int[BATCH_PIECES];
    private final byte[][] oldData = new byte[BATCH_PIECES][FarMemory.PAGE_SIZE_BYTES];
    private final UnsafeBuffer[] oldDataBuffers = new UnsafeBuffer[BATCH_PIECES];
    private final byte[][][] parity;
    private final UnsafeBuffer[][] parityBuffers;
    private final byte[] newData = new byte[FarMemory.PAGE_SIZE_BYTES];
    private int pieces;
    private int lastPage = -1;
    private long parityUpdateBytes;
    private long pageParityUpdateBytes;

    StripeWriter(final StripeMap map, final HostLinks links, final ErasureCodec codec, final StripeRepair repair,
        final DirectBuffer frames, final boolean mirrored)
    {
        this.map = map;
        this.links = links;
        this.codec = codec;
        this.repair = repair;
        this.frames = frames;
        this.parityPages = map.parityPages();
        this.mirrored = mirrored;
        this.parity = new byte[BATCH_PIECES][parityPages][FarMemory.PAGE_SIZE_BYTES];
        this.parityBuffers = new UnsafeBuffer[BATCH_PIECES][parityPages];
        for (int i = 0; i < BATCH_PIECES; i++)
        {
            oldDataBuffers[i] = new UnsafeBuffer(oldData[i]);
            for (int j = 0; j < parityPages; j++)
            {
                parityBuffers[i][j] = new UnsafeBuffer(parity[i][j]);
            }
        }
    }

    /**
     * Adds dirty lines of one page to the batch, shipping the batch first if it is full or covers the same lines of
     * the same stripe.
     *
     * @param page        the page.
     * @param inPage      first byte within the page, line-aligned.
     * @param length      bytes, whole lines within the page.
     * @param frameOffset where the lines are in the local frames.
     */
    void add(final int page, final int inPage, final int length, final int frameOffset)
    {
        if (pieces == BATCH_PIECES || overlapsBatch(page, inPage, length))
        {
            ship();
        }
        piecePage[pieces] = page;
        pieceOffset[pieces] = inPage;
        pieceLength[pieces] = length;
        pieceFrameOffset[pieces] = frameOffset;
        pieces++;
        // Bytes moved to keep parity current: old data and old parity read, new parity written (copies: written).
        final int factor = mirrored ? parityPages : 1 + 2 * parityPages;
        parityUpdateBytes += (long)length * factor;
        if (page != lastPage)
        {
            pageParityUpdateBytes += (long)FarMemory.PAGE_SIZE_BYTES * factor;
            lastPage = page;
        }
    }

    /**
     * Ships the batch: reads, parity deltas, writes. The writes are posted, not awaited.
     */
    void ship()
    {
        if (0 == pieces)
        {
            return;
        }
        repair.checkHosts(); // a WRITE to a host that died unnoticed would fail again: rebuild what it held first
        makeRowsWhole();
        if (!mirrored)
        {
            while (!readOldContent())
            {
                links.awaitAll("reads of a write-back batch");
                repair.checkHosts(); // a host died: rebuild what it held, then read again
                makeRowsWhole();
            }
            links.awaitAll("reads of old data and parity");
        }
        for (int i = 0; i < pieces; i++)
        {
            final int slot = map.slotOfPage(piecePage[i]);
            final int row = map.rowOfPage(piecePage[i]);
            final int group = map.group(slot);
            final int offset = pieceOffset[i];
            final int length = pieceLength[i];
            if (!mirrored)
            {
                frames.getBytes(pieceFrameOffset[i], newData, offset, length);
                codec.updateParity(map.member(slot), oldData[i], newData, offset, length, parity[i]);
            }
            // Tagged with the frame: it is freed only when every one of these WRITEs is confirmed.
            final long wrId = HostLinks.wrId(HostLinks.KIND_WRITE_BACK, pieceFrameOffset[i] >>> FRAME_SHIFT);
            links.postWrite(wrId, frames, pieceFrameOffset[i], length, map.host(slot),
                map.remoteOffset(slot, row) + offset);
            for (int j = 0; j < parityPages; j++)
            {
                final int paritySlot = map.slot(group, map.dataPages() + j);
                links.postWrite(wrId, mirrored ? frames : parityBuffers[i][j],
                    mirrored ? pieceFrameOffset[i] : offset, length, map.host(paritySlot),
                    map.remoteOffset(paritySlot, row) + offset);
            }
        }
        pieces = 0;
        lastPage = -1;
    }

    /**
     * Rebuilds the lost rows the batch is about to update, so that the update applies to whole stripes.
     */
    private void makeRowsWhole()
    {
        for (int i = 0; i < pieces; i++)
        {
            final int row = map.rowOfPage(piecePage[i]);
            final int slot = map.slotOfPage(piecePage[i]);
            final int group = map.group(slot);
            for (int member = 0; member < parityPages + 1; member++)
            {
                final int target = 0 == member ? slot : map.slot(group, map.dataPages() + member - 1);
                if (map.isLost(target, row) || links.isKnownDead(map.host(target)))
                {
                    repair.rebuildRow(target, row);
                }
            }
        }
    }

    /**
     * Posts the READs of the batch's old data and parity lines.
     *
     * @return false if a host turned out dead before everything was posted.
     */
    private boolean readOldContent()
    {
        for (int i = 0; i < pieces; i++)
        {
            final int row = map.rowOfPage(piecePage[i]);
            final int slot = map.slotOfPage(piecePage[i]);
            final int group = map.group(slot);
            final int offset = pieceOffset[i];
            final int length = pieceLength[i];
            if (!links.tryPostRead(HostLinks.wrId(HostLinks.KIND_PARITY, row), oldDataBuffers[i], offset, length,
                map.host(slot), map.remoteOffset(slot, row) + offset))
            {
                return false;
            }
            for (int j = 0; j < parityPages; j++)
            {
                final int paritySlot = map.slot(group, map.dataPages() + j);
                if (!links.tryPostRead(HostLinks.wrId(HostLinks.KIND_PARITY, row), parityBuffers[i][j], offset,
                    length, map.host(paritySlot), map.remoteOffset(paritySlot, row) + offset))
                {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean overlapsBatch(final int page, final int inPage, final int length)
    {
        final int slot = map.slotOfPage(page);
        final int group = map.group(slot);
        final int row = map.rowOfPage(page);
        for (int i = 0; i < pieces; i++)
        {
            final int other = map.slotOfPage(piecePage[i]);
            if (map.rowOfPage(piecePage[i]) == row && map.group(other) == group &&
                inPage < pieceOffset[i] + pieceLength[i] && pieceOffset[i] < inPage + length)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return bytes moved to keep parity current: old data and old parity lines read, new parity lines written.
     */
    long parityUpdateBytes()
    {
        return parityUpdateBytes;
    }

    /**
     * @return the same for whole pages: what page-granular parity updates would have moved.
     */
    long pageParityUpdateBytes()
    {
        return pageParityUpdateBytes;
    }
}
