package io.farline.property.pagetable;

import java.util.List;

/**
 * One step of a page-table scenario.
 */
sealed interface PageTableAction
{
    /**
     * @return simpler versions, for shrinking.
     */
    default List<PageTableAction> simpler()
    {
        return List.of();
    }

    /** Compare-and-set of a page's entry; {@code stale} uses a wrong expected value, so it must fail. */
    record Update(int page, long entry, boolean stale) implements PageTableAction
    {
        @Override
        public List<PageTableAction> simpler()
        {
            return page > 0 ? List.of(new Update(page / 2, entry, stale)) : List.of();
        }
    }

    /** Sets or clears flag bits with the lock-free helpers. */
    record Flags(int page, long bits, boolean set) implements PageTableAction
    {
    }

    /** {@code sync()}, then every replica is compared with the model. */
    record Sync() implements PageTableAction
    {
    }

    /** A replication pass by the replicator device, as its agent would run it. */
    record Pass() implements PageTableAction
    {
    }
}
