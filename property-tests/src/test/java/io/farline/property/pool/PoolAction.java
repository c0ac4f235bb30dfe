package io.farline.property.pool;

import io.farline.property.harness.Simplifier;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A step of {@link PoolScenario}. Borrowers and hosts are named by slot (taken modulo the setup's counts, so that any
 * value is valid and shrinking never makes an action invalid); chunks by a bit mask over a list the scenario keeps
 * in a fixed order. Each action prints as the Java expression that builds it, so that a shrunk sequence from a
 * report can be pasted into {@link PoolCounterexamplesTest}.
 */
sealed interface PoolAction permits PoolAction.Allocate, PoolAction.Release, PoolAction.Park, PoolAction.Adopt,
    PoolAction.Reconcile, PoolAction.LostAllocate, PoolAction.Evacuate, PoolAction.KillBorrower, PoolAction.Reclaim,
    PoolAction.Withdraw, PoolAction.CloseHost, PoolAction.PauseHost, PoolAction.RestartHost,
    PoolAction.KillController, PoolAction.StartController
{
    /**
     * @return simpler versions of this action, for shrinking; never one of another kind.
     */
    List<PoolAction> simpler();

    /**
     * The borrower allocates {@code count} chunks through its {@code PoolClient}: anywhere, or each on a different
     * host, none on the hosts whose slots are set in {@code excludedHosts}.
     *
     * @param borrower      slot of the borrower.
     * @param count         chunks, at least 1.
     * @param distinct      whether on distinct hosts (only then are hosts excluded: the client's API).
     * @param excludedHosts bit mask of host slots to exclude.
     */
    record Allocate(int borrower, int count, boolean distinct, int excludedHosts) implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            final List<PoolAction> simpler = new ArrayList<>();
            if (distinct)
            {
                simpler.add(new Allocate(borrower, count, false, 0));
            }
            if (excludedHosts != 0)
            {
                simpler.add(new Allocate(borrower, count, distinct, 0));
            }
            for (final int fewer : Simplifier.towards(count, 1))
            {
                simpler.add(new Allocate(borrower, fewer, distinct, excludedHosts));
            }
            for (final int lower : Simplifier.towards(borrower, 0))
            {
                simpler.add(new Allocate(lower, count, distinct, excludedHosts));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "new Allocate(" + borrower + ", " + count + ", " + distinct + ", " + excludedHosts + ")";
        }
    }

    /**
     * The borrower releases the chunks it holds whose position (in host, index order) has its bit set in {@code
     * chunks}.
     *
     * @param borrower slot of the borrower.
     * @param chunks   bit mask over the chunks held.
     */
    record Release(int borrower, int chunks) implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            return masks(chunks, mask -> new Release(borrower, mask), lower -> new Release(lower, chunks), borrower);
        }

        @Override
        public String toString()
        {
            return "new Release(" + borrower + ", " + chunks + ")";
        }
    }

    /**
     * The borrower parks the chunks it holds whose position has its bit set in {@code chunks}.
     *
     * @param borrower slot of the borrower.
     * @param chunks   bit mask over the chunks held.
     */
    record Park(int borrower, int chunks) implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            return masks(chunks, mask -> new Park(borrower, mask), lower -> new Park(lower, chunks), borrower);
        }

        @Override
        public String toString()
        {
            return "new Park(" + borrower + ", " + chunks + ")";
        }
    }

    /**
     * The borrower adopts the chunks whose position has its bit set in {@code chunks}, in the list of every chunk
     * parked so far in the trial (in host, index order): some may have been adopted, withdrawn or lost with their
     * host since, and then the adoption must be refused whole.
     *
     * @param borrower slot of the borrower.
     * @param chunks   bit mask over the chunks ever parked.
     */
    record Adopt(int borrower, int chunks) implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            return masks(chunks, mask -> new Adopt(borrower, mask), lower -> new Adopt(lower, chunks), borrower);
        }

        @Override
        public String toString()
        {
            return "new Adopt(" + borrower + ", " + chunks + ")";
        }
    }

    /**
     * The borrower sends {@code RECONCILE} with every chunk it holds: the controller frees the rest lent to it.
     *
     * @param borrower slot of the borrower.
     */
    record Reconcile(int borrower) implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            return lower(borrower, Reconcile::new);
        }

        @Override
        public String toString()
        {
            return "new Reconcile(" + borrower + ")";
        }
    }

    /**
     * The borrower's node sends an {@code ALLOCATE} whose reply it never reads, as when the controller that lent the
     * chunks died before its reply was read: the chunks are lent to a borrower that does not know it, until it
     * reconciles or dies.
     *
     * @param borrower slot of the borrower.
     * @param count    chunks, at least 1.
     */
    record LostAllocate(int borrower, int count) implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            final List<PoolAction> simpler = new ArrayList<>();
            for (final int fewer : Simplifier.towards(count, 1))
            {
                simpler.add(new LostAllocate(borrower, fewer));
            }
            for (final int lower : Simplifier.towards(borrower, 0))
            {
                simpler.add(new LostAllocate(lower, count));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "new LostAllocate(" + borrower + ", " + count + ")";
        }
    }

    /**
     * The borrower polls its client and releases every chunk the controller asked it to evacuate.
     *
     * @param borrower slot of the borrower.
     */
    record Evacuate(int borrower) implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            return lower(borrower, Evacuate::new);
        }

        @Override
        public String toString()
        {
            return "new Evacuate(" + borrower + ")";
        }
    }

    /**
     * The borrower's node closes abruptly (its client releases nothing), and a new borrower takes its slot: every
     * chunk lent to the dead one must be free again once the controller has handled the death.
     *
     * @param borrower slot of the borrower.
     */
    record KillBorrower(int borrower) implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            return lower(borrower, KillBorrower::new);
        }

        @Override
        public String toString()
        {
            return "new KillBorrower(" + borrower + ")";
        }
    }

    /**
     * The host asks for {@code count} chunks back ({@code MemoryHost.requestReclaim}).
     *
     * @param host  slot of the host.
     * @param count chunks, at least 1 (at most the donation).
     */
    record Reclaim(int host, int count) implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            final List<PoolAction> simpler = new ArrayList<>();
            for (final int fewer : Simplifier.towards(count, 1))
            {
                simpler.add(new Reclaim(host, fewer));
            }
            for (final int lower : Simplifier.towards(host, 0))
            {
                simpler.add(new Reclaim(lower, count));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "new Reclaim(" + host + ", " + count + ")";
        }
    }

    /**
     * The host takes its whole donation back ({@code MemoryHost.withdrawDonation(0)}) and goes on running.
     *
     * @param host slot of the host.
     */
    record Withdraw(int host) implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            return lower(host, Withdraw::new);
        }

        @Override
        public String toString()
        {
            return "new Withdraw(" + host + ")";
        }
    }

    /**
     * The host's node closes without the orderly stop, as a crash: its table and data are gone.
     *
     * @param host slot of the host.
     */
    record CloseHost(int host) implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            return lower(host, CloseHost::new);
        }

        @Override
        public String toString()
        {
            return "new CloseHost(" + host + ")";
        }
    }

    /**
     * The host stops (neither heartbeats nor duty cycles) until the controller's node declares it dead; its table
     * stays readable. The controller may not have handled the death when the next action runs.
     *
     * @param host slot of the host.
     */
    record PauseHost(int host) implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            return lower(host, PauseHost::new);
        }

        @Override
        public String toString()
        {
            return "new PauseHost(" + host + ")";
        }
    }

    /**
     * A closed or paused host is restarted under its node id, with a fresh table; a live host is left alone.
     *
     * @param host slot of the host.
     */
    record RestartHost(int host) implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            return lower(host, RestartHost::new);
        }

        @Override
        public String toString()
        {
            return "new RestartHost(" + host + ")";
        }
    }

    /**
     * The controller's node closes abruptly and its duty cycle is no longer driven; borrowers do nothing with the
     * pool until a controller runs again.
     */
    record KillController() implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            return List.of();
        }

        @Override
        public String toString()
        {
            return "new KillController()";
        }
    }

    /**
     * A new controller starts on a new node, if none runs, and learns the live hosts from their announcements.
     */
    record StartController() implements PoolAction
    {
        @Override
        public List<PoolAction> simpler()
        {
            return List.of();
        }

        @Override
        public String toString()
        {
            return "new StartController()";
        }
    }

    private static List<PoolAction> lower(final int slot, final IntFunction<PoolAction> make)
    {
        final List<PoolAction> simpler = new ArrayList<>();
        for (final int lower : Simplifier.towards(slot, 0))
        {
            simpler.add(make.apply(lower));
        }
        return simpler;
    }

    /**
     * Masks with fewer bits set (each bit cleared in turn, the lowest set bit alone), then lower slots.
     */
    private static List<PoolAction> masks(final int mask, final IntFunction<PoolAction> withMask,
        final IntFunction<PoolAction> withSlot, final int slot)
    {
        final List<PoolAction> simpler = new ArrayList<>();
        if (Integer.bitCount(mask) > 1)
        {
            simpler.add(withMask.apply(Integer.lowestOneBit(mask)));
            for (int bits = mask; bits != 0; bits &= bits - 1)
            {
                simpler.add(withMask.apply(mask & ~Integer.lowestOneBit(bits)));
            }
        }
        simpler.addAll(lower(slot, withSlot));
        return simpler;
    }
}
