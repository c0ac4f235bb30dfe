package io.farline.property.pool;

import io.farline.core.pool.Chunk;
import io.farline.core.pool.PoolException;
import io.farline.core.pool.PoolMessages;
import io.farline.property.harness.Gen;
import io.farline.property.harness.Property;
import io.farline.transport.PeerState;
import io.farline.transport.QueuePair;
import io.farline.transport.TestFabric;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.farline.core.pool.ChunkTableDescriptor.STATE_FREE;
import static io.farline.core.pool.ChunkTableDescriptor.STATE_LENT;
import static io.farline.core.pool.ChunkTableDescriptor.STATE_RECLAIMING;
import static io.farline.core.pool.ChunkTableDescriptor.STATE_WITHDRAWN;
import static io.farline.core.pool.ChunkTableDescriptor.owner;
import static io.farline.core.pool.ChunkTableDescriptor.state;
import static io.farline.core.pool.ChunkTableDescriptor.stateName;

/**
 * Runs {@link PoolAction}s on a real pool ({@link PoolNodes}) and on its model: the expected state and owner of every
 * chunk of every host that has not closed, and what each borrower's client holds. The model is trivially correct: a
 * grant must name a chunk the model has free on a live host, and every change the controller makes follows from the
 * action (a release frees what the borrower owns, a death frees everything the dead borrower owned, a reclaim takes
 * free chunks first and then lent ones, in index order, as the controller is documented to).
 * <p>
 * After every step the tables are read as a peer and must equal the model entry for entry: so no chunk is lent to
 * two borrowers, every grant is lent to its borrower, a refused allocation gives back everything it took, a dead
 * borrower's chunks are free once the controller handled the death (also when it died while no controller ran), and
 * per host free + lent + reclaiming + withdrawn is the donation. Every chunk a live borrower's client holds on the
 * current incarnation of a live host must be lent (or being reclaimed) to it. An allocation must succeed when the
 * live hosts have the free chunks it asks for (the model says how many), and a refusal must say why.
 * <p>
 * A paused host's table is frozen: its node is dead to the controller, which cannot change it (compare-and-swap
 * fails with {@code PEER_DEAD}); a closed host's is gone, and is not checked.
 */
final class PoolScenario implements Property<PoolAction>, AutoCloseable
{
    private static final long LOST_REQUEST_ID_BASE = 1L << 40;
    private static final long OWNER_FREE_WAIT_MS = 3_000;

    private final TestFabric fabric;
    private final PoolSetup setup;
    private final PoolCoverage coverage = new PoolCoverage();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable ->
    {
        final Thread thread = new Thread(runnable, "pool-property-client");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread heartbeats;
    private volatile PoolNodes nodes;
    private volatile boolean running = true;

    PoolScenario(final TestFabric fabric, final PoolSetup setup)
    {
        this.fabric = fabric;
        this.setup = setup;
        heartbeats = new Thread(() ->
        {
            while (running)
            {
                final PoolNodes current = nodes;
                if (null != current)
                {
                    current.heartbeat();
                }
                LockSupport.parkNanos(2_000_000);
            }
        }, "pool-property-heartbeats");
        heartbeats.setDaemon(true);
        heartbeats.start();
    }

    /**
     * Borrower operations most, host and controller failures often enough that most trials have one.
     *
     * @param setup the pool.
     * @return a generator of single actions.
     */
    static Gen<PoolAction> actions(final PoolSetup setup)
    {
        final int hosts = setup.hosts();
        final int borrowers = setup.borrowers();
        return random ->
        {
            final int kind = random.nextInt(100);
            final int borrower = random.nextInt(borrowers);
            final int host = random.nextInt(hosts);
            // Masks mostly pick among the first few chunks, so that parks and adoptions often succeed.
            final int mask = random.nextInt(4) == 0 ? random.nextInt(1, 1 << 8) : random.nextInt(1, 1 << 3);
            if (kind < 24)
            {
                final boolean distinct = random.nextInt(4) == 0;
                return new PoolAction.Allocate(borrower, distinct ? random.nextInt(1, hosts + 2) :
                    random.nextInt(1, 9), distinct, distinct && random.nextBoolean() ? random.nextInt(1 << hosts) : 0);
            }
            if (kind < 31)
            {
                return new PoolAction.Release(borrower, mask);
            }
            if (kind < 41)
            {
                return new PoolAction.Park(borrower, mask);
            }
            if (kind < 51)
            {
                return new PoolAction.Adopt(borrower, mask);
            }
            if (kind < 55)
            {
                return new PoolAction.Reconcile(borrower);
            }
            if (kind < 60)
            {
                return new PoolAction.LostAllocate(borrower, random.nextInt(1, 5));
            }
            if (kind < 66)
            {
                return new PoolAction.Evacuate(borrower);
            }
            if (kind < 70)
            {
                return new PoolAction.KillBorrower(borrower);
            }
            if (kind < 77)
            {
                return new PoolAction.Reclaim(host, random.nextInt(1, PoolSetup.chunksOf(host) + 1));
            }
            if (kind < 79)
            {
                return new PoolAction.Withdraw(host);
            }
            if (kind < 82)
            {
                return new PoolAction.CloseHost(host);
            }
            if (kind < 84)
            {
                return new PoolAction.PauseHost(host);
            }
            if (kind < 89)
            {
                return new PoolAction.RestartHost(host);
            }
            if (kind < 93)
            {
                return new PoolAction.KillController();
            }
            return new PoolAction.StartController();
        };
    }

    PoolCoverage coverage()
    {
        return coverage;
    }

    @Override
    public void check(final List<PoolAction> actions)
    {
        coverage.trials++;
        final PoolNodes trialNodes = new PoolNodes(fabric, setup, worker);
        nodes = trialNodes;
        try
        {
            new Trial(trialNodes).run(actions);
        }
        finally
        {
            nodes = null;
            trialNodes.close();
        }
    }

    @Override
    public void close()
    {
        running = false;
        worker.shutdownNow();
        try
        {
            heartbeats.join();
            worker.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static long key(final int hostNodeId, final int chunkIndex)
    {
        return ((long)hostNodeId << 32) | chunkIndex;
    }

    private static long key(final Chunk chunk)
    {
        return key(chunk.hostNodeId(), chunk.chunkIndex());
    }

    /**
     * A host slot as the model sees it.
     */
    private enum Status
    {
        LIVE, PAUSED, CLOSED
    }

    /**
     * One run of an action list: the pool, and the model.
     */
    private final class Trial
    {
        private final PoolNodes pool;
        private final Status[] status;
        private final int[][] state;
        private final int[][] owner;
        /** What each borrower slot's client holds, by (host, index), as the client keys it. */
        private final List<Map<Long, Chunk>> held = new ArrayList<>();
        /** Every chunk parked in the trial, by (host, index), the latest parked last: what adoptions pick from. */
        private final Map<Long, Chunk> parkedEver = new LinkedHashMap<>();
        /** Borrowers that died while no controller ran: the next controller must free their chunks. */
        private final List<Integer> diedUnseen = new ArrayList<>();
        private final UnsafeBuffer message = new UnsafeBuffer(new byte[4096]);
        private long lostRequests;
        private int index;
        private PoolAction action;

        Trial(final PoolNodes pool)
        {
            this.pool = pool;
            final int hosts = setup.hosts();
            status = new Status[hosts];
            state = new int[hosts][];
            owner = new int[hosts][];
            for (int slot = 0; slot < hosts; slot++)
            {
                status[slot] = Status.LIVE;
                state[slot] = new int[PoolSetup.chunksOf(slot)];
                owner[slot] = new int[PoolSetup.chunksOf(slot)];
            }
            for (int slot = 0; slot < setup.borrowers(); slot++)
            {
                held.add(new LinkedHashMap<>());
            }
        }

        void run(final List<PoolAction> actions)
        {
            for (index = 0; index < actions.size(); index++)
            {
                action = actions.get(index);
                try
                {
                    apply(action);
                    if (!(action instanceof PoolAction.PauseHost))
                    {
                        // A pause leaves its death unhandled, so that the next action meets the dead host first.
                        pool.settle();
                    }
                    checkInvariants();
                }
                catch (final RuntimeException ex)
                {
                    throw new AssertionError(where() + " threw " + ex + context(), ex);
                }
            }
            action = null;
            try
            {
                // The end: a controller runs, and every borrower dies; then no chunk is lent but the parked ones.
                startController();
                pool.settle();
                checkInvariants();
                for (int slot = 0; slot < setup.borrowers(); slot++)
                {
                    killBorrower(slot);
                    pool.settle();
                    checkInvariants();
                }
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError(where() + " threw " + ex + context(), ex);
            }
        }

        private void apply(final PoolAction step)
        {
            if (step instanceof PoolAction.Allocate allocate)
            {
                allocate(allocate);
            }
            else if (step instanceof PoolAction.Release release)
            {
                release(release);
            }
            else if (step instanceof PoolAction.Park park)
            {
                park(park);
            }
            else if (step instanceof PoolAction.Adopt adopt)
            {
                adopt(adopt);
            }
            else if (step instanceof PoolAction.Reconcile reconcile)
            {
                reconcile(reconcile.borrower() % setup.borrowers());
            }
            else if (step instanceof PoolAction.LostAllocate lost)
            {
                lostAllocate(lost);
            }
            else if (step instanceof PoolAction.Evacuate evacuate)
            {
                evacuate(evacuate.borrower() % setup.borrowers());
            }
            else if (step instanceof PoolAction.KillBorrower kill)
            {
                killBorrower(kill.borrower() % setup.borrowers());
            }
            else if (step instanceof PoolAction.Reclaim reclaim)
            {
                reclaim(reclaim);
            }
            else if (step instanceof PoolAction.Withdraw withdraw)
            {
                withdraw(withdraw.host() % setup.hosts());
            }
            else if (step instanceof PoolAction.CloseHost close)
            {
                closeHost(close.host() % setup.hosts());
            }
            else if (step instanceof PoolAction.PauseHost pause)
            {
                pauseHost(pause.host() % setup.hosts());
            }
            else if (step instanceof PoolAction.RestartHost restart)
            {
                restartHost(restart.host() % setup.hosts());
            }
            else if (step instanceof PoolAction.KillController)
            {
                if (pool.controllerRunning())
                {
                    pool.killController();
                }
            }
            else
            {
                startController();
            }
        }

        // ---------------------------------------------------------------------------------------------------------
        // Borrowers

        private void allocate(final PoolAction.Allocate step)
        {
            if (!pool.controllerRunning())
            {
                return;
            }
            final int slot = step.borrower() % setup.borrowers();
            final int count = step.count();
            final List<Integer> excluded = new ArrayList<>();
            for (int host = 0; host < setup.hosts(); host++)
            {
                if (step.distinct() && (step.excludedHosts() & (1 << host)) != 0)
                {
                    excluded.add(pool.hosts[host].nodeId);
                }
            }
            int available = 0;
            for (int host = 0; host < setup.hosts(); host++)
            {
                if (status[host] == Status.LIVE && !excluded.contains(pool.hosts[host].nodeId))
                {
                    final int free = count(host, STATE_FREE);
                    available += step.distinct() ? Math.min(1, free) : free;
                }
            }
            final boolean mustSucceed = available >= count;
            final PoolNodes.Borrower borrower = pool.borrowers[slot];
            final int[] excludedIds = excluded.stream().mapToInt(Integer::intValue).toArray();
            final List<Chunk> grants;
            try
            {
                grants = pool.call(() -> step.distinct() ?
                    borrower.client.allocateOnDistinctHosts(count, PoolSetup.CHUNK_SIZE_BYTES, excludedIds) :
                    borrower.client.allocate(count, PoolSetup.CHUNK_SIZE_BYTES));
            }
            catch (final PoolException ex)
            {
                coverage.allocationsRefused++;
                final String expected = "pool exhausted: asked for " + count + " chunks";
                check(null != ex.getMessage() && ex.getMessage().startsWith(expected), "the refusal says why: \"" +
                    ex.getMessage() + "\" does not start with \"" + expected + "\"");
                check(!mustSucceed, "the allocation was refused, though the live hosts have " + available +
                    " chunks to lend: " + ex.getMessage());
                return;
            }
            check(grants.size() == count, count + " chunks asked for, " + grants.size() + " granted: " + grants);
            final List<Integer> lenders = new ArrayList<>();
            for (final Chunk chunk : grants)
            {
                final int host = slotOf(chunk.hostNodeId());
                check(host >= 0 && status[host] == Status.LIVE && isCurrent(chunk), chunk + " was granted from a " +
                    "host that is not live, or an earlier incarnation of it");
                check(!excluded.contains(chunk.hostNodeId()), chunk + " was granted from an excluded host");
                check(!step.distinct() || !lenders.contains(host), chunk + " shares its host with another grant " +
                    "of a distinct-hosts allocation: " + grants);
                lenders.add(host);
                final int at = chunk.chunkIndex();
                check(state[host][at] == STATE_FREE, chunk + " was granted to borrower " + borrower.node.nodeId() +
                    " but the model has it " + modelOf(host, at));
                state[host][at] = STATE_LENT;
                owner[host][at] = borrower.node.nodeId();
                held.get(slot).put(key(chunk), chunk);
            }
            coverage.chunksGranted += grants.size();
        }

        private void release(final PoolAction.Release step)
        {
            if (!pool.controllerRunning())
            {
                return;
            }
            final int slot = step.borrower() % setup.borrowers();
            final List<Chunk> chosen = pick(heldSorted(slot), step.chunks());
            if (chosen.isEmpty())
            {
                return;
            }
            final PoolNodes.Borrower borrower = pool.borrowers[slot];
            pool.call(() ->
            {
                borrower.client.release(chosen);
                return null;
            });
            for (final Chunk chunk : chosen)
            {
                held.get(slot).remove(key(chunk));
                giveBack(borrower.node.nodeId(), chunk.hostNodeId(), chunk.chunkIndex());
            }
        }

        private void park(final PoolAction.Park step)
        {
            if (!pool.controllerRunning())
            {
                return;
            }
            final int slot = step.borrower() % setup.borrowers();
            final List<Chunk> chosen = pick(heldSorted(slot), step.chunks());
            if (chosen.isEmpty())
            {
                return;
            }
            final PoolNodes.Borrower borrower = pool.borrowers[slot];
            final int parked = pool.call(() -> borrower.client.park(chosen));
            int expected = 0;
            for (final Chunk chunk : chosen)
            {
                held.get(slot).remove(key(chunk));
                parkedEver.remove(key(chunk));
                parkedEver.put(key(chunk), chunk);
                final int host = slotOf(chunk.hostNodeId());
                final int at = chunk.chunkIndex();
                if (status[host] == Status.LIVE && state[host][at] == STATE_LENT &&
                    owner[host][at] == borrower.node.nodeId())
                {
                    owner[host][at] = 0;
                    expected++;
                }
            }
            check(parked == expected, "the controller parked " + parked + " of " + chosen + ", the model " +
                expected);
            coverage.chunksParked += parked;
        }

        private void adopt(final PoolAction.Adopt step)
        {
            if (!pool.controllerRunning())
            {
                return;
            }
            final int slot = step.borrower() % setup.borrowers();
            final List<Chunk> candidates = new ArrayList<>(parkedEver.values());
            java.util.Collections.reverse(candidates); // the latest parked first: the likeliest still parked
            final List<Chunk> chosen = pick(candidates, step.chunks());
            if (chosen.isEmpty())
            {
                return;
            }
            boolean adoptable = true;
            for (final Chunk chunk : chosen)
            {
                final int host = slotOf(chunk.hostNodeId());
                final int at = chunk.chunkIndex();
                adoptable &= status[host] == Status.LIVE && state[host][at] == STATE_LENT && owner[host][at] == 0;
            }
            final PoolNodes.Borrower borrower = pool.borrowers[slot];
            final List<Chunk> adopted;
            try
            {
                adopted = pool.call(() -> borrower.client.adopt(chosen));
            }
            catch (final PoolException ex)
            {
                coverage.adoptionsRefused++;
                check(null != ex.getMessage() && ex.getMessage().startsWith("cannot adopt: "), "the refusal of an " +
                    "adoption says why: \"" + ex.getMessage() + "\"");
                check(!adoptable, "the adoption of " + chosen + ", all parked on live hosts, was refused: " +
                    ex.getMessage());
                return;
            }
            check(adoptable, "the adoption of " + chosen + " succeeded, though the model has some of them not " +
                "parked on a live host");
            check(adopted.size() == chosen.size(), "adopted " + adopted + " for " + chosen);
            for (int i = 0; i < adopted.size(); i++)
            {
                final Chunk chunk = adopted.get(i);
                check(key(chunk) == key(chosen.get(i)) && isCurrent(chunk), "adopted " + chunk + " for " +
                    chosen.get(i) + " (on the host's current incarnation)");
                final int host = slotOf(chunk.hostNodeId());
                owner[host][chunk.chunkIndex()] = borrower.node.nodeId();
                held.get(slot).put(key(chunk), chunk);
            }
            coverage.adoptions++;
        }

        private void reconcile(final int slot)
        {
            if (!pool.controllerRunning())
            {
                return;
            }
            final PoolNodes.Borrower borrower = pool.borrowers[slot];
            final List<Chunk> listed = new ArrayList<>(held.get(slot).values());
            message.putInt(PoolMessages.TYPE_OFFSET, PoolMessages.RECONCILE);
            message.putInt(PoolMessages.COUNT_OFFSET, listed.size());
            for (int i = 0; i < listed.size(); i++)
            {
                final int at = PoolMessages.CHUNKS_OFFSET + i * PoolMessages.CHUNK_REF_LENGTH;
                message.putInt(at, listed.get(i).hostNodeId());
                message.putInt(at + 4, listed.get(i).chunkIndex());
            }
            send(borrower, PoolMessages.CHUNKS_OFFSET + listed.size() * PoolMessages.CHUNK_REF_LENGTH);
            final int self = borrower.node.nodeId();
            for (int host = 0; host < setup.hosts(); host++)
            {
                for (int at = 0; at < state[host].length; at++)
                {
                    if (status[host] == Status.LIVE && owner[host][at] == self && isLent(state[host][at]) &&
                        !held.get(slot).containsKey(key(pool.hosts[host].nodeId, at)))
                    {
                        giveBack(self, pool.hosts[host].nodeId, at);
                        coverage.orphansFreedByReconcile++;
                    }
                }
            }
        }

        /**
         * An ALLOCATE whose GRANTED the client ignores (its request id is not one the client awaits): the model learns
         * which chunks were lent from the tables, and checks that they were free, and that they are as many as asked
         * for when the live hosts have them, none otherwise.
         */
        private void lostAllocate(final PoolAction.LostAllocate step)
        {
            if (!pool.controllerRunning())
            {
                return;
            }
            final int slot = step.borrower() % setup.borrowers();
            final PoolNodes.Borrower borrower = pool.borrowers[slot];
            int available = 0;
            for (int host = 0; host < setup.hosts(); host++)
            {
                available += status[host] == Status.LIVE ? count(host, STATE_FREE) : 0;
            }
            pool.awaitWarm(); // answered at once, not deferred past the settling below
            message.putInt(PoolMessages.TYPE_OFFSET, PoolMessages.ALLOCATE);
            message.putInt(PoolMessages.COUNT_OFFSET, step.count());
            message.putLong(PoolMessages.LONG_OFFSET, LOST_REQUEST_ID_BASE + lostRequests++);
            message.putInt(PoolMessages.LENGTH_OFFSET, PoolSetup.CHUNK_SIZE_BYTES);
            message.putInt(PoolMessages.ALLOCATE_FLAGS_OFFSET, 0);
            message.putInt(PoolMessages.ALLOCATE_EXCLUDED_OFFSET, 0);
            send(borrower, PoolMessages.ALLOCATE_EXCLUDED_OFFSET + 4);
            pool.settle();
            final int self = borrower.node.nodeId();
            int lent = 0;
            for (int host = 0; host < setup.hosts(); host++)
            {
                if (status[host] != Status.LIVE)
                {
                    continue;
                }
                final long[] entries = pool.hosts[host].entries();
                for (int at = 0; at < entries.length; at++)
                {
                    if (state[host][at] == STATE_FREE && state(entries[at]) == STATE_LENT && owner(entries[at]) == self)
                    {
                        state[host][at] = STATE_LENT;
                        owner[host][at] = self;
                        lent++;
                    }
                }
            }
            final int expected = available >= step.count() ? step.count() : 0;
            check(lent == expected, "an allocation of " + step.count() + " chunks (reply not read) lent " + lent +
                " chunks; the live hosts had " + available + " free, so the model expects " + expected);
            coverage.orphansLent += lent;
        }

        private void evacuate(final int slot)
        {
            if (!pool.controllerRunning())
            {
                return;
            }
            final PoolNodes.Borrower borrower = pool.borrowers[slot];
            final int self = borrower.node.nodeId();
            final List<Chunk> handed = pool.call(() ->
            {
                final List<Chunk> chunks = new ArrayList<>();
                borrower.client.poll(chunks::add);
                borrower.client.release(chunks);
                return chunks;
            });
            // Every chunk the client holds and the controller is reclaiming from it was asked back: the EVACUATE
            // was sent when the reclaim was handled, which the settling after it waited for.
            for (final Chunk chunk : held.get(slot).values())
            {
                final int host = slotOf(chunk.hostNodeId());
                final int at = chunk.chunkIndex();
                if (status[host] == Status.LIVE && state[host][at] == STATE_RECLAIMING && owner[host][at] == self)
                {
                    check(handed.stream().anyMatch(c -> key(c) == key(chunk)), chunk + " is being reclaimed from " +
                        "borrower " + self + ", which holds it, but its client was not asked to evacuate it");
                }
            }
            for (final Chunk chunk : handed)
            {
                if (null != held.get(slot).remove(key(chunk)))
                {
                    giveBack(self, chunk.hostNodeId(), chunk.chunkIndex());
                    coverage.chunksEvacuated++;
                }
            }
        }

        /**
         * The borrower's node closes abruptly and a new borrower takes the slot. With a controller running, its chunks
         * are freed once the controller's node reported the close; with none, by the next controller.
         */
        private void killBorrower(final int slot)
        {
            final PoolNodes.Borrower borrower = pool.borrowers[slot];
            final int dead = borrower.node.nodeId();
            // A borrower that owns chunks has had a reply from the controller, so the controller's node knows it and
            // must report its close; one that owns none may close before that node's scan ever saw it.
            final boolean ownsChunks = ownsChunks(dead);
            borrower.node.close();
            coverage.borrowerDeaths++;
            held.get(slot).clear();
            pool.borrowers[slot] = pool.startBorrower(slot);
            if (pool.controllerRunning())
            {
                pool.driveUntil(() -> !ownsChunks || pool.goneToController(dead), () -> "the controller's node " +
                    "sees borrower " + dead + " closed");
                pool.settle();
                freeChunksOf(dead);
            }
            else
            {
                coverage.deathsWhileNoController++;
                diedUnseen.add(dead);
            }
        }

        private boolean ownsChunks(final int borrower)
        {
            for (int host = 0; host < setup.hosts(); host++)
            {
                for (int at = 0; at < state[host].length; at++)
                {
                    if (status[host] != Status.CLOSED && owner[host][at] == borrower && isLent(state[host][at]))
                    {
                        return true;
                    }
                }
            }
            return false;
        }

        private void freeChunksOf(final int dead)
        {
            for (int host = 0; host < setup.hosts(); host++)
            {
                for (int at = 0; at < state[host].length; at++)
                {
                    if (status[host] == Status.LIVE && owner[host][at] == dead && isLent(state[host][at]))
                    {
                        giveBack(dead, pool.hosts[host].nodeId, at);
                        coverage.chunksFreedFromDeadBorrowers++;
                    }
                }
            }
        }

        private void send(final PoolNodes.Borrower borrower, final int length)
        {
            final QueuePair qp = borrower.raw(pool.controllerNodeId());
            final long deadlineMs = System.currentTimeMillis() + PoolNodes.WAIT_MS;
            int result;
            while ((result = qp.send(message, 0, length)) == QueuePair.BACK_PRESSURED)
            {
                check(System.currentTimeMillis() - deadlineMs < 0, "the lane to the controller stayed full");
                pool.drive();
            }
            check(QueuePair.OK == result, "a SEND to the controller returned " + result);
        }

        // ---------------------------------------------------------------------------------------------------------
        // Hosts and the controller

        private void reclaim(final PoolAction.Reclaim step)
        {
            final int host = step.host() % setup.hosts();
            if (status[host] != Status.LIVE || !pool.controllerRunning())
            {
                return;
            }
            final int chunks = Math.min(Math.max(1, step.count()), state[host].length);
            pool.hosts[host].memoryHost.requestReclaim((long)chunks * PoolSetup.CHUNK_SIZE_BYTES);
            pool.settle();
            modelReclaim(host, chunks);
        }

        /**
         * The controller's documented reclaim: free chunks withdrawn first, then lent ones marked, in index order;
         * parked chunks (lent to no node) are not asked back, since no node could move them.
         */
        private void modelReclaim(final int host, final int chunks)
        {
            int taken = 0;
            for (int at = 0; at < state[host].length && taken < chunks; at++)
            {
                if (state[host][at] == STATE_FREE)
                {
                    state[host][at] = STATE_WITHDRAWN;
                    taken++;
                }
            }
            for (int at = 0; at < state[host].length && taken < chunks; at++)
            {
                if (state[host][at] == STATE_LENT && owner[host][at] != 0)
                {
                    state[host][at] = STATE_RECLAIMING;
                    taken++;
                    coverage.chunksReclaimed++;
                }
            }
        }

        private void withdraw(final int host)
        {
            if (status[host] != Status.LIVE)
            {
                return;
            }
            pool.hosts[host].memoryHost.withdrawDonation(0);
            for (int at = 0; at < state[host].length; at++)
            {
                state[host][at] = state[host][at] == STATE_FREE ? STATE_WITHDRAWN : state[host][at];
            }
            if (pool.controllerRunning())
            {
                pool.settle();
                modelReclaim(host, state[host].length);
            }
        }

        private void closeHost(final int host)
        {
            if (status[host] == Status.CLOSED)
            {
                return;
            }
            pool.hosts[host].close();
            status[host] = Status.CLOSED;
            coverage.hostsClosed++;
        }

        private void pauseHost(final int host)
        {
            if (status[host] != Status.LIVE)
            {
                return;
            }
            final PoolNodes.Host paused = pool.hosts[host];
            paused.pause();
            status[host] = Status.PAUSED;
            coverage.hostsPaused++;
            if (pool.controllerRunning())
            {
                pool.driveUntil(() -> pool.controllerView(paused.nodeId) == PeerState.DEAD, () -> "the " +
                    "controller's node declares paused host " + paused.nodeId + " dead");
            }
        }

        /**
         * A closed or paused host comes back under its node id with a fresh table, once the controller (if one runs)
         * has forgotten the old one.
         */
        private void restartHost(final int host)
        {
            if (status[host] == Status.LIVE)
            {
                return;
            }
            final PoolNodes.Host restarted = pool.hosts[host];
            restarted.close();
            if (pool.controllerRunning())
            {
                pool.driveUntil(() -> !pool.controller().hostIds().contains(restarted.nodeId), () -> "the " +
                    "controller forgets host " + restarted.nodeId);
            }
            pool.startHost(restarted, restarted.nodeId);
            status[host] = Status.LIVE;
            java.util.Arrays.fill(state[host], STATE_FREE);
            java.util.Arrays.fill(owner[host], 0);
            coverage.hostsRestarted++;
            if (pool.controllerRunning())
            {
                pool.awaitHostsKnown();
            }
        }

        private void startController()
        {
            if (pool.controllerRunning())
            {
                return;
            }
            pool.startController();
            coverage.controllerRestarts++;
            pool.settle();
            if (!diedUnseen.isEmpty())
            {
                for (final int dead : diedUnseen)
                {
                    freeChunksOf(dead);
                }
                diedUnseen.clear();
                // Give the controller time to find the dead borrowers' chunks: it need not do so in its first cycles.
                final long deadlineMs = System.currentTimeMillis() + OWNER_FREE_WAIT_MS;
                while (null != tableMismatch() && System.currentTimeMillis() - deadlineMs < 0)
                {
                    pool.drive();
                }
            }
        }

        // ---------------------------------------------------------------------------------------------------------
        // The model and the invariants

        /**
         * Releases a chunk as the controller does: by (host, index), on whatever incarnation the host is now, and
         * only if it is lent to {@code borrower}; a chunk of a host that is not live is left as it is.
         */
        private void giveBack(final int borrower, final int hostNodeId, final int at)
        {
            final int host = slotOf(hostNodeId);
            if (host < 0 || status[host] != Status.LIVE || at < 0 || at >= state[host].length ||
                owner[host][at] != borrower || !isLent(state[host][at]))
            {
                return;
            }
            state[host][at] = state[host][at] == STATE_RECLAIMING ? STATE_WITHDRAWN : STATE_FREE;
            owner[host][at] = 0;
        }

        private void checkInvariants()
        {
            final String mismatch = tableMismatch();
            check(null == mismatch, mismatch);
            for (int host = 0; host < setup.hosts(); host++)
            {
                if (status[host] == Status.CLOSED)
                {
                    continue;
                }
                final int[] counts = new int[STATE_WITHDRAWN + 1];
                for (int s = 0; s <= STATE_WITHDRAWN; s++)
                {
                    counts[s] = pool.hosts[host].memoryHost.chunksIn(s);
                }
                check(counts[0] + counts[1] + counts[2] + counts[3] == state[host].length, "host " +
                    pool.hosts[host].nodeId + " counts " + java.util.Arrays.toString(counts) + " chunks, donated " +
                    state[host].length);
            }
            for (int slot = 0; slot < setup.borrowers(); slot++)
            {
                final PoolNodes.Borrower borrower = pool.borrowers[slot];
                final List<Chunk> actual = new ArrayList<>(borrower.client.held());
                final List<Chunk> expected = new ArrayList<>(held.get(slot).values());
                actual.sort(ORDER);
                expected.sort(ORDER);
                check(actual.equals(expected), "borrower " + borrower.node.nodeId() + "'s client holds " + actual +
                    ", the model " + expected);
                for (final Chunk chunk : expected)
                {
                    final int host = slotOf(chunk.hostNodeId());
                    final int at = chunk.chunkIndex();
                    if (status[host] != Status.CLOSED && isCurrent(chunk))
                    {
                        check(owner[host][at] == borrower.node.nodeId() && isLent(state[host][at]), "borrower " +
                            borrower.node.nodeId() + " holds " + chunk + ", which is " + modelOf(host, at));
                    }
                }
            }
        }

        /**
         * @return null if every table that is not closed equals the model, else the differences.
         */
        private String tableMismatch()
        {
            final StringBuilder sb = new StringBuilder();
            for (int host = 0; host < setup.hosts(); host++)
            {
                if (status[host] == Status.CLOSED)
                {
                    continue;
                }
                final long[] entries = pool.hosts[host].entries();
                for (int at = 0; at < entries.length; at++)
                {
                    if (state(entries[at]) != state[host][at] || owner(entries[at]) != owner[host][at])
                    {
                        sb.append(" chunk ").append(at).append(" of host ").append(pool.hosts[host].nodeId)
                            .append(" (").append(status[host]).append(") is ")
                            .append(describe(state(entries[at]), owner(entries[at]))).append(" in its table, ")
                            .append(modelOf(host, at)).append(" in the model;");
                    }
                }
            }
            return sb.length() == 0 ? null : "tables differ from the model:" + sb;
        }

        private int count(final int host, final int wanted)
        {
            int count = 0;
            for (final int s : state[host])
            {
                count += s == wanted ? 1 : 0;
            }
            return count;
        }

        private int slotOf(final int hostNodeId)
        {
            for (int host = 0; host < setup.hosts(); host++)
            {
                if (pool.hosts[host].nodeId == hostNodeId)
                {
                    return host;
                }
            }
            return -1;
        }

        /**
         * @return whether the chunk is on the host's current incarnation (a restarted host registers new regions).
         */
        private boolean isCurrent(final Chunk chunk)
        {
            final int host = slotOf(chunk.hostNodeId());
            return host >= 0 && pool.hosts[host].memoryHost.dataHandle().rkey() == chunk.dataRegion().rkey();
        }

        private List<Chunk> heldSorted(final int slot)
        {
            final List<Chunk> chunks = new ArrayList<>(held.get(slot).values());
            chunks.sort(ORDER);
            return chunks;
        }

        private String modelOf(final int host, final int at)
        {
            return describe(state[host][at], owner[host][at]);
        }

        private String describe(final int chunkState, final int chunkOwner)
        {
            return stateName(chunkState) + (isLent(chunkState) ? chunkOwner == 0 ? " (parked)" :
                " to node " + chunkOwner : "");
        }

        private void check(final boolean condition, final String what)
        {
            if (!condition)
            {
                throw new AssertionError(where() + ": " + what + context());
            }
        }

        private String where()
        {
            return null == action ? "after the last action" : "action " + (index + 1) + " (" + action + ")";
        }

        private String context()
        {
            final StringBuilder sb = new StringBuilder(" [").append(setup).append(": hosts");
            for (int host = 0; host < setup.hosts(); host++)
            {
                sb.append(' ').append(pool.hosts[host].nodeId).append(' ').append(status[host]);
            }
            sb.append("; borrowers");
            for (final PoolNodes.Borrower borrower : pool.borrowers)
            {
                sb.append(' ').append(borrower.node.nodeId());
            }
            sb.append("; controller ").append(pool.controllerRunning() ? "node " + pool.controllerNodeId() : "none")
                .append("; controller errors ").append(pool.controllerErrors).append(']');
            return sb.toString();
        }
    }

    private static boolean isLent(final int chunkState)
    {
        return chunkState == STATE_LENT || chunkState == STATE_RECLAIMING;
    }

    private static final Comparator<Chunk> ORDER =
        Comparator.comparingInt(Chunk::hostNodeId).thenComparingInt(Chunk::chunkIndex);

    /**
     * @param chunks in a fixed order.
     * @param mask   bit {@code i} picks chunk {@code i}.
     * @return the chunks picked.
     */
    private static List<Chunk> pick(final List<Chunk> chunks, final int mask)
    {
        final List<Chunk> picked = new ArrayList<>();
        for (int i = 0; i < chunks.size() && i < Integer.SIZE; i++)
        {
            if ((mask & (1 << i)) != 0)
            {
                picked.add(chunks.get(i));
            }
        }
        return picked;
    }
}
