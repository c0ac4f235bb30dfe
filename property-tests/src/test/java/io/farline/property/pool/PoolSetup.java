package io.farline.property.pool;

/**
 * The pools {@link PoolAgreesWithModelProperty} checks: how many memory hosts and borrowers a trial starts with.
 * Host slot {@code i} donates {@code 3 + i} chunks, so that the controller's choice of the emptiest host matters and
 * a large allocation or one on distinct hosts may not fit.
 */
enum PoolSetup
{
    /** Two hosts (3 and 4 chunks) and two borrowers. */
    SMALL(2, 2),
    /** Three hosts (3 to 5 chunks) and three borrowers. */
    MEDIUM(3, 3),
    /** Four hosts (3 to 6 chunks) and two borrowers. */
    WIDE(4, 2);

    /** The pool's chunk size: the smallest a memory host takes. */
    static final int CHUNK_SIZE_BYTES = 64 * 1024;

    private final int hosts;
    private final int borrowers;

    PoolSetup(final int hosts, final int borrowers)
    {
        this.hosts = hosts;
        this.borrowers = borrowers;
    }

    int hosts()
    {
        return hosts;
    }

    int borrowers()
    {
        return borrowers;
    }

    /**
     * @param slot a host slot.
     * @return the chunks it donates.
     */
    static int chunksOf(final int slot)
    {
        return 3 + slot;
    }

    @Override
    public String toString()
    {
        return hosts + " hosts, " + borrowers + " borrowers";
    }
}
