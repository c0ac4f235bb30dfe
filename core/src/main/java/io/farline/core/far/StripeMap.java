package io.farline.core.far;

import io.farline.core.pool.Chunk;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Where every page of far memory and every parity page lives: the chunks, and which of their pages are lost.
 * <p>
 * <b>Slots.</b> The chunks sit in slots: first the data slots, page {@code p} in data slot {@code p / pagesPerChunk}
 * at row {@code p % pagesPerChunk}; then the parity slots. Data slots form groups of k, and each group has m parity
 * slots; the k + m chunks of a group are on k + m distinct hosts. A <b>stripe</b> is one row across a group: the
 * k data pages at that row and the m parity pages at that row. Without parity (m = 0) a group is one chunk.
 * <pre>
 *   data slots                                  parity slots
 *   | g0:d0 | g0:d1 | g0:d2 | g1:d0 | ... |     | g0:p0 | g1:p0 | ... |     (xor, k = 3)
 *   row r of g0:d0, g0:d1, g0:d2 and g0:p0 is one stripe
 * </pre>
 * <b>Lost rows.</b> When a host dies, its slots get a replacement chunk on a host outside the group, and every row
 * of them is lost until rebuilt onto it; {@link #isLost} is what reads and write-backs check. Single-threaded.
 */
final class StripeMap
{
    private final int dataPages;
    private final int parityPages;
    private final int pagesPerChunk;
    private final int dataSlots;
    private final Chunk[] chunks;
    private final BitSet[] lostRows;
    private long lostRowCount;

    /**
     * @param chunks        data chunks, then parity chunks ({@code dataSlots / k * m} of them).
     * @param dataPages     k.
     * @param parityPages   m.
     * @param pagesPerChunk pages in a chunk.
     */
    StripeMap(final List<Chunk> chunks, final int dataPages, final int parityPages, final int pagesPerChunk)
    {
        this.dataPages = dataPages;
        this.parityPages = parityPages;
        this.pagesPerChunk = pagesPerChunk;
        this.dataSlots = chunks.size() / (dataPages + parityPages) * dataPages;
        if (dataSlots / dataPages * (dataPages + parityPages) != chunks.size())
        {
            throw new IllegalArgumentException(chunks.size() + " chunks do not make whole groups of " + dataPages +
                " data and " + parityPages + " parity chunks");
        }
        this.chunks = chunks.toArray(new Chunk[0]);
        this.lostRows = new BitSet[this.chunks.length];
    }

    /**
     * @param dataChunks  data chunks needed.
     * @param dataPages   k.
     * @param parityPages m.
     * @return all chunks needed, data and parity.
     */
    static int chunkCount(final int dataChunks, final int dataPages, final int parityPages)
    {
        return dataChunks / dataPages * (dataPages + parityPages);
    }

    int dataPages()
    {
        return dataPages;
    }

    int parityPages()
    {
        return parityPages;
    }

    int slotCount()
    {
        return chunks.length;
    }

    int groupCount()
    {
        return dataSlots / dataPages;
    }

    int pagesPerChunk()
    {
        return pagesPerChunk;
    }

    int slotOfPage(final int page)
    {
        return page / pagesPerChunk;
    }

    int rowOfPage(final int page)
    {
        return page % pagesPerChunk;
    }

    int pageAt(final int dataSlot, final int row)
    {
        return dataSlot * pagesPerChunk + row;
    }

    boolean isDataSlot(final int slot)
    {
        return slot < dataSlots;
    }

    int group(final int slot)
    {
        return slot < dataSlots ? slot / dataPages : (slot - dataSlots) / parityPages;
    }

    /**
     * @return the slot's shard index in its stripes: {@code [0, k)} for data, {@code [k, k + m)} for parity.
     */
    int member(final int slot)
    {
        return slot < dataSlots ? slot % dataPages : dataPages + (slot - dataSlots) % parityPages;
    }

    /**
     * @param group  a group.
     * @param member a shard index, {@code [0, k + m)}.
     * @return the slot holding it.
     */
    int slot(final int group, final int member)
    {
        return member < dataPages ? group * dataPages + member :
            dataSlots + group * parityPages + member - dataPages;
    }

    Chunk chunk(final int slot)
    {
        return chunks[slot];
    }

    int host(final int slot)
    {
        return chunks[slot].hostNodeId();
    }

    /**
     * @return the byte offset of a row of a slot in its host's data region.
     */
    long remoteOffset(final int slot, final int row)
    {
        return chunks[slot].offsetBytes() + (long)row * FarMemory.PAGE_SIZE_BYTES;
    }

    /**
     * @return the slot of a chunk, or -1.
     */
    int slotOf(final Chunk chunk)
    {
        for (int slot = 0; slot < chunks.length; slot++)
        {
            if (chunks[slot].hostNodeId() == chunk.hostNodeId() && chunks[slot].chunkIndex() == chunk.chunkIndex())
            {
                return slot;
            }
        }
        return -1;
    }

    /**
     * @return the hosts of a group's chunks, other than {@code exceptSlot}'s.
     */
    int[] groupHosts(final int group, final int exceptSlot)
    {
        final int[] hosts = new int[dataPages + parityPages - 1];
        int count = 0;
        for (int member = 0; member < dataPages + parityPages; member++)
        {
            final int slot = slot(group, member);
            if (slot != exceptSlot)
            {
                hosts[count++] = host(slot);
            }
        }
        return hosts;
    }

    void replace(final int slot, final Chunk chunk)
    {
        chunks[slot] = chunk;
    }

    /**
     * Marks every row of a slot lost: its content is to be rebuilt from the rest of each stripe.
     */
    void markLost(final int slot)
    {
        if (null == lostRows[slot])
        {
            lostRows[slot] = new BitSet(pagesPerChunk);
        }
        lostRowCount += pagesPerChunk - lostRows[slot].cardinality();
        lostRows[slot].set(0, pagesPerChunk);
    }

    boolean isLost(final int slot, final int row)
    {
        final BitSet lost = lostRows[slot];
        return null != lost && lost.get(row);
    }

    boolean hasLostRows(final int slot)
    {
        return null != lostRows[slot];
    }

    /**
     * @return the first lost row of the slot, or -1.
     */
    int firstLostRow(final int slot)
    {
        return null == lostRows[slot] ? -1 : lostRows[slot].nextSetBit(0);
    }

    void markRebuilt(final int slot, final int row)
    {
        final BitSet lost = lostRows[slot];
        if (null != lost && lost.get(row))
        {
            lost.clear(row);
            lostRowCount--;
            if (lost.isEmpty())
            {
                lostRows[slot] = null;
            }
        }
    }

    long lostRowCount()
    {
        return lostRowCount;
    }

    List<Chunk> chunks()
    {
        return new ArrayList<>(List.of(chunks));
    }
}
