package io.farline.property.pagetable;

import io.farline.property.harness.Gen;
import io.farline.property.harness.PropertyRunner;
import org.junit.jupiter.api.Test;

import static io.farline.core.pagetable.PageTableEntryDescriptor.PTE_PRESENT;
import static io.farline.core.pagetable.PageTableEntryDescriptor.localEntry;
import static io.farline.core.pagetable.PageTableEntryDescriptor.remoteEntry;

/**
 * Random page-table updates, flag changes, replication passes and syncs agree with a model: see
 * {@link PageTableScenario}.
 */
class ReplicasAgreeWithModelProperty
{
    private static final int TRIALS = 200;
    private static final int MAX_ACTIONS = 60;

    @Test
    void shouldKeepEveryReplicaEqualToTheMasterAfterSync()
    {
        final Gen<PageTableAction> action = random ->
        {
            final int kind = random.nextInt(100);
            final int page = random.nextInt(8) < 6 ? random.nextInt(16) : random.nextInt(PageTableScenario.PAGES);
            if (kind < 50)
            {
                final long entry = random.nextBoolean() ?
                    localEntry(random.nextLong(1L << 40), PTE_PRESENT) :
                    remoteEntry(random.nextInt(8), random.nextLong(1L << 30), PTE_PRESENT);
                return new PageTableAction.Update(page, entry, random.nextInt(10) == 0);
            }
            if (kind < 75)
            {
                return new PageTableAction.Flags(page, 1L << random.nextInt(5), random.nextBoolean());
            }
            return kind < 88 ? new PageTableAction.Sync() : new PageTableAction.Pass();
        };
        PropertyRunner.forAll(Gen.listOf(action, 1, MAX_ACTIONS))
            .named("page table replicas")
            .simplifiedBy(PageTableAction::simpler)
            .trials(TRIALS)
            .check(new PageTableScenario());
    }
}
