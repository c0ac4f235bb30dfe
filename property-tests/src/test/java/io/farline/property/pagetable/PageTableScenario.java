package io.farline.property.pagetable;

import io.farline.core.pagetable.PageTable;
import io.farline.property.harness.Property;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@link PageTableAction}s on a fresh table and on a model: {@code master}, the entries the table must hold, and
 * {@code published}, for each page, the entries it held at the last pass or sync and since.
 * <p>
 * Checked: the master equals the model after every step; a compare-and-set with a stale expected value fails and
 * changes nothing; between passes a replica entry is always one the master held since the last pass (never torn, never
 * invented); after {@code sync()} every replica equals the master; and each pass copies at most 64 bytes per line
 * written since the previous pass.
 */
final class PageTableScenario implements Property<PageTableAction>
{
    static final int PAGES = 256;
    static final int REPLICAS = 3;

    @Override
    public void check(final List<PageTableAction> actions)
    {
        final long[] master = new long[PAGES];
        final long[] atLastPass = new long[PAGES];
        final boolean[] lineWritten = new boolean[PAGES / 8];
        try (PageTable table = PageTable.allocate(PAGES, REPLICAS))
        {
            for (final PageTableAction action : actions)
            {
                if (action instanceof PageTableAction.Update update)
                {
                    final long expected = update.stale() ? master[update.page()] ^ 1L : master[update.page()];
                    final boolean swapped = table.compareAndSetEntry(update.page(), expected, update.entry());
                    assertEquals(!update.stale(), swapped, "CAS outcome: " + update);
                    if (swapped)
                    {
                        master[update.page()] = update.entry();
                        lineWritten[update.page() / 8] = true;
                    }
                }
                else if (action instanceof PageTableAction.Flags flags)
                {
                    final long before = flags.set() ?
                        table.getAndSetFlags(flags.page(), flags.bits()) :
                        table.getAndClearFlags(flags.page(), flags.bits());
                    assertEquals(master[flags.page()], before);
                    final long after = flags.set() ? before | flags.bits() : before & ~flags.bits();
                    if (after != before)
                    {
                        lineWritten[flags.page() / 8] = true;
                    }
                    master[flags.page()] = after;
                }
                else
                {
                    final long bytesBefore = table.replicator().bytesCopiedPerReplica();
                    if (action instanceof PageTableAction.Sync)
                    {
                        table.sync();
                    }
                    else
                    {
                        table.replicator().doWork();
                    }
                    int lines = 0;
                    for (final boolean written : lineWritten)
                    {
                        lines += written ? 1 : 0;
                    }
                    assertTrue(table.replicator().bytesCopiedPerReplica() - bytesBefore <= 64L * lines,
                        "a pass copied more than the lines written since the last");
                    Arrays.fill(lineWritten, false);
                    System.arraycopy(master, 0, atLastPass, 0, PAGES);
                    for (int socket = 0; socket < REPLICAS; socket++)
                    {
                        for (int page = 0; page < PAGES; page++)
                        {
                            assertEquals(master[page], table.replica(socket).entryAcquire(page),
                                "socket " + socket + " page " + page + " after " + action);
                        }
                    }
                }
                for (int page = 0; page < PAGES; page++)
                {
                    assertEquals(master[page], table.entryVolatile(page), "master page " + page);
                    for (int socket = 0; socket < REPLICAS; socket++)
                    {
                        assertEquals(atLastPass[page], table.replica(socket).entryAcquire(page),
                            "a replica changed between passes: socket " + socket + " page " + page);
                    }
                }
            }
        }
    }
}
