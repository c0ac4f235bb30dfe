package io.farline.bench;

import java.util.SplittableRandom;

/**
 * A YCSB-A-like stream of operations on far memory: records of {@link #VALUE_LENGTH_BYTES} bytes in fixed slots,
 * {@link #SLOTS_PER_PAGE} to a page (no slot crosses a page), half reads and half updates of a whole value, keys drawn
 * from a zipfian ({@link ZipfianGenerator#YCSB_THETA}) and scrambled so that the hot keys are spread over the address
 * space as YCSB's scrambled zipfian spreads them. YCSB scrambles with a hash, so a few keys collide; here the ranks
 * go through a seeded permutation of the keys instead, so every key keeps exactly its rank's probability.
 * <p>
 * An operation is a {@code long}: the slot's address, with {@link #UPDATE_FLAG} set for an update (addresses are
 * multiples of 4). Not thread-safe; draws allocate nothing.
 */
final class YcsbWorkload
{
    /** Length of a record's value. */
    static final int VALUE_LENGTH_BYTES = 100;
    /** Records per 4 KiB page. */
    static final int SLOTS_PER_PAGE = FarMemoryWorkloads.PAGE_SIZE_BYTES / VALUE_LENGTH_BYTES;
    /** Share of reads, percent: YCSB workload A is 50/50. */
    static final int READ_PERCENT = 50;
    /** Set in an operation that is an update. */
    static final long UPDATE_FLAG = 1;

    private final int[] keyOfRank;
    private final ZipfianGenerator ranks;
    private final SplittableRandom kinds;

    /**
     * @param addressSpaceBytes the far memory's size: as many records as fit in its pages.
     * @param seed              of the key permutation, the zipfian draws and the read/update choices.
     */
    YcsbWorkload(final long addressSpaceBytes, final long seed)
    {
        final long records = addressSpaceBytes / FarMemoryWorkloads.PAGE_SIZE_BYTES * SLOTS_PER_PAGE;
        if (records < 2 || records > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(addressSpaceBytes + " bytes hold " + records + " records");
        }
        final SplittableRandom seeds = new SplittableRandom(seed);
        this.keyOfRank = FarMemoryWorkloads.permutation((int)records, seeds.nextLong());
        this.ranks = new ZipfianGenerator(records, ZipfianGenerator.YCSB_THETA, seeds.nextLong());
        this.kinds = new SplittableRandom(seeds.nextLong());
    }

    int recordCount()
    {
        return keyOfRank.length;
    }

    /**
     * @param rank a zipfian rank.
     * @return the key it maps to.
     */
    int key(final long rank)
    {
        return keyOfRank[(int)rank];
    }

    /**
     * @return the next operation: an address, with {@link #UPDATE_FLAG} for an update.
     */
    long next()
    {
        final long address = slotAddress(keyOfRank[(int)ranks.nextRank()]);
        return kinds.nextInt(100) < READ_PERCENT ? address : address | UPDATE_FLAG;
    }

    /**
     * @param key a record's key.
     * @return the address of its slot.
     */
    static long slotAddress(final int key)
    {
        return (long)(key / SLOTS_PER_PAGE) * FarMemoryWorkloads.PAGE_SIZE_BYTES +
            (long)(key % SLOTS_PER_PAGE) * VALUE_LENGTH_BYTES;
    }

    static boolean isUpdate(final long operation)
    {
        return (operation & UPDATE_FLAG) != 0;
    }

    static long address(final long operation)
    {
        return operation & ~UPDATE_FLAG;
    }
}
