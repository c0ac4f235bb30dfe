package io.farline.property.far;

import io.farline.core.far.FarMemory;
import io.farline.core.pool.Chunk;
import io.farline.core.pool.ChunkTableDescriptor;
import io.farline.core.pool.PoolClient;
import io.farline.property.harness.Gen;
import io.farline.property.harness.Property;
import io.farline.transport.Node;
import io.farline.transport.PeerState;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs {@link FarAction}s on a {@link FarMemory} borrowed from a {@link HostPool} and on its model: a {@code byte[]}
 * of the whole address space, the truth. Every read and get is compared with the model as it happens; at the end
 * the far memory is flushed and read whole, then detached, reopened with an empty cache and read whole again, which
 * checks that the hosts hold every acknowledged write. A trial starts by zeroing the address space and flushing
 * (the pool's chunks keep what earlier trials wrote), so that the model starts as zeros.
 * <p>
 * Host losses are real: {@link FarAction.KillHost} has the pool kill (or pause, for a death by liveness timeout) a
 * host of the far memory, which learns of it from the transport. At most {@link FarSetup#maxKills()} happen in a
 * trial; a loss waits for the rebuild of the earlier ones only if it could otherwise take a stripe past its parity
 * (m losses not yet rebuilt), so that no stripe ever loses more than its parity covers: from then on every access
 * must still agree.
 * <p>
 * Reclaims are real too: {@link FarAction.Evacuate} has a host ask the pool for chunks back, and the far memory
 * evacuates those it holds while the workload goes on. {@link FarAction.Rebuild} and the end of a trial wait until
 * the host has nothing of the far memory left in a reclaimed state.
 * <p>
 * A failure is an {@link AssertionError} naming the action (by index and as code) and, for a mismatch, the first
 * address that differs with the expected and actual bytes; an exception of the far memory is wrapped, as cause, in
 * one that names the action, so that shrinking keeps failures of the same kind apart.
 */
final class FarMemoryScenario implements Property<FarAction>
{
    private static final long POOL_TIMEOUT_MS = 10_000;
    private static final long REBUILD_TIMEOUT_MS = 20_000;
    private static final long DEATH_TIMEOUT_MS = 20_000;
    /** A far memory driven in a loop evacuates a 64 KiB chunk in milliseconds: shrinking must not wait long. */
    private static final long EVACUATION_TIMEOUT_MS = 3_000;
    private static final long REQUEST_LANDING_NS = 20_000_000L;
    private static final int PAGE = FarMemory.PAGE_SIZE_BYTES;

    private final HostPool pool;
    private final FarSetup setup;
    private final FarCoverage coverage = new FarCoverage();

    FarMemoryScenario(final HostPool pool, final FarSetup setup)
    {
        this.pool = pool;
        this.setup = setup;
    }

    /**
     * Actions weighted so that evictions, write-backs and fetches back happen in every trial: most accesses land on a
     * hot set of pages the size of the cache, the rest anywhere in an address space several times larger; a third of
     * them start near a page boundary and some near a line boundary, and a third are long enough to cross pages.
     *
     * @param setup the far memory.
     * @return a generator of single actions.
     */
    static Gen<FarAction> actions(final FarSetup setup)
    {
        final long size = setup.addressSpaceBytes();
        final int pages = (int)(size / PAGE);
        return random ->
        {
            final int kind = random.nextInt(100);
            if (kind < 24)
            {
                final int length = length(random);
                return new FarAction.Write(address(random, setup, length), length, random.nextLong());
            }
            if (kind < 44)
            {
                final int length = length(random);
                return new FarAction.Read(address(random, setup, length), length);
            }
            if (kind < 60)
            {
                final int width = width(random);
                return new FarAction.Put(width, address(random, setup, width) & -width, random.nextLong());
            }
            if (kind < 72)
            {
                final int width = width(random);
                return new FarAction.Get(width, address(random, setup, width) & -width);
            }
            if (kind < 77)
            {
                return new FarAction.Flush();
            }
            if (kind < 82)
            {
                return new FarAction.DoWork(random.nextInt(1, 20));
            }
            if (kind < 86)
            {
                final int count = random.nextInt(1, 5);
                return new FarAction.MapReadOnly(random.nextInt(pages - count + 1), count);
            }
            if (kind < 90 && setup.maxKills() > 0)
            {
                return new FarAction.KillHost(random.nextInt(64));
            }
            if (kind < 93 && (setup.maxKills() > 0 || setup.maxEvacuations() > 0))
            {
                return new FarAction.Rebuild();
            }
            if (kind < 96)
            {
                return new FarAction.Reopen();
            }
            if (kind < 99 && setup.maxEvacuations() > 0)
            {
                return new FarAction.Evacuate(random.nextInt(64), random.nextInt(1, 3));
            }
            return new FarAction.Flush();
        };
    }

    private static int length(final SplittableRandom random)
    {
        final int scale = random.nextInt(10);
        if (scale < 4)
        {
            return random.nextInt(1, 65);
        }
        if (scale < 7)
        {
            return random.nextInt(1, 513);
        }
        return scale < 9 ? random.nextInt(1, 2 * PAGE + 1) : random.nextInt(1, 3 * PAGE + 200);
    }

    private static int width(final SplittableRandom random)
    {
        final int pick = random.nextInt(3);
        return pick == 0 ? Byte.BYTES : pick == 1 ? Integer.BYTES : Long.BYTES;
    }

    private static long address(final SplittableRandom random, final FarSetup setup, final int length)
    {
        final long size = setup.addressSpaceBytes();
        final long span = random.nextInt(10) < 4 ? (long)setup.cachePages() * PAGE : size;
        final int where = random.nextInt(6);
        long address;
        if (where < 2)
        {
            address = random.nextLong(span / PAGE) * PAGE + random.nextInt(-64, 65); // near a page boundary
        }
        else if (where < 3)
        {
            address = random.nextLong(span / 64) * 64 + random.nextInt(-8, 9); // near a line boundary
        }
        else
        {
            address = random.nextLong(span);
        }
        return Math.max(0, Math.min(address, size - length));
    }

    /**
     * @return what the trials so far made happen.
     */
    FarCoverage coverage()
    {
        return coverage;
    }

    @Override
    public void check(final List<FarAction> actions) throws Exception
    {
        coverage.onTrial();
        pool.replenish();
        final Node compute = pool.launchCompute();
        // Closing the compute node last frees, at the controller, whatever a failed trial still borrows.
        try (compute; PoolClient client = new PoolClient(compute, POOL_TIMEOUT_MS))
        {
            new Trial(compute, client).run(actions);
        }
    }

    /**
     * One run of an action list: the far memory, its model, and the hosts killed.
     */
    private final class Trial
    {
        private final Node compute;
        private final PoolClient client;
        private final byte[] model = new byte[(int)setup.addressSpaceBytes()];
        private final UnsafeBuffer truth = new UnsafeBuffer(model); // the model, in the far memory's byte order
        private final List<Integer> killed = new ArrayList<>();
        /** Slots whose host died since the last wait for the rebuild. */
        private final Set<Integer> lostSlots = new HashSet<>();
        private final List<Integer> reclaiming = new ArrayList<>();
        private int unrebuiltKills;
        private FarMemory memory;
        private int index;
        private FarAction action;

        Trial(final Node compute, final PoolClient client)
        {
            this.compute = compute;
            this.client = client;
        }

        void run(final List<FarAction> actions)
        {
            memory = FarMemory.open(compute, client, setup.config());
            try
            {
                memory.putBytes(0, model, 0, model.length);
                memory.flush();
                for (index = 0; index < actions.size(); index++)
                {
                    action = actions.get(index);
                    try
                    {
                        apply(action);
                    }
                    catch (final RuntimeException ex)
                    {
                        throw new AssertionError(where() + " threw " + ex, ex);
                    }
                }
                action = null;
                awaitEvacuated();
                memory.flush();
                compare(0, model.length, "the final read of the whole address space, after a flush");
                // The hosts must hold every acknowledged write: read them all back with an empty cache.
                reopen();
                compare(0, model.length, "the read of the whole address space after the final detach and reopen");
                memory.close();
                coverage.add(memory);
                memory = null;
            }
            finally
            {
                if (null != memory)
                {
                    closeAfterFailure();
                }
            }
        }

        private void apply(final FarAction step)
        {
            if (step instanceof FarAction.Write write)
            {
                if (inRange(write.address(), write.length()))
                {
                    final byte[] bytes = new byte[write.length()];
                    new SplittableRandom(write.seed()).nextBytes(bytes);
                    memory.putBytes(write.address(), bytes, 0, bytes.length);
                    System.arraycopy(bytes, 0, model, (int)write.address(), bytes.length);
                }
            }
            else if (step instanceof FarAction.Read read)
            {
                if (inRange(read.address(), read.length()))
                {
                    compare(read.address(), read.length(), where());
                }
            }
            else if (step instanceof FarAction.Put put)
            {
                put(put);
            }
            else if (step instanceof FarAction.Get get)
            {
                get(get);
            }
            else if (step instanceof FarAction.Flush)
            {
                memory.flush();
            }
            else if (step instanceof FarAction.DoWork doWork)
            {
                for (int i = 0; i < doWork.cycles(); i++)
                {
                    memory.doWork();
                }
            }
            else if (step instanceof FarAction.MapReadOnly map)
            {
                if (inRange((long)map.firstPage() * PAGE, map.pages() * PAGE))
                {
                    memory.mapReadOnlyFromHosts((long)map.firstPage() * PAGE, (long)map.pages() * PAGE);
                }
            }
            else if (step instanceof FarAction.KillHost kill)
            {
                kill(kill.slot());
            }
            else if (step instanceof FarAction.Evacuate evacuate)
            {
                reclaim(evacuate.slot(), evacuate.lentChunks());
            }
            else if (step instanceof FarAction.Rebuild)
            {
                awaitRebuilt();
                awaitEvacuated();
            }
            else
            {
                reopen();
            }
        }

        private void reopen()
        {
            final List<Chunk> chunks = memory.detach();
            coverage.add(memory);
            coverage.onReopen();
            memory = null;
            memory = FarMemory.reopen(compute, client, setup.config(), chunks);
        }

        private void put(final FarAction.Put put)
        {
            final long address = put.address();
            if (!inRange(address, put.width()))
            {
                return;
            }
            switch (put.width())
            {
                case Byte.BYTES -> memory.putByte(address, (byte)put.value());
                case Integer.BYTES -> memory.putInt(address, (int)put.value());
                default -> memory.putLong(address, put.value());
            }
            switch (put.width())
            {
                case Byte.BYTES -> truth.putByte((int)address, (byte)put.value());
                case Integer.BYTES -> truth.putInt((int)address, (int)put.value());
                default -> truth.putLong((int)address, put.value());
            }
        }

        private void get(final FarAction.Get get)
        {
            final long address = get.address();
            if (!inRange(address, get.width()))
            {
                return;
            }
            final long expected;
            final long actual;
            switch (get.width())
            {
                case Byte.BYTES ->
                {
                    expected = truth.getByte((int)address);
                    actual = memory.getByte(address);
                }
                case Integer.BYTES ->
                {
                    expected = truth.getInt((int)address);
                    actual = memory.getInt(address);
                }
                default ->
                {
                    expected = truth.getLong((int)address);
                    actual = memory.getLong(address);
                }
            }
            if (expected != actual)
            {
                throw new AssertionError(where() + ": the " + get.width() + "-byte value at address " + address +
                    " is " + hex(expected, get.width()) + " in the model but " + hex(actual, get.width()) +
                    " in far memory" + context());
            }
        }

        /**
         * Kills a host of the far memory, once the earlier losses are rebuilt if they are as many as the parity covers,
         * so that the stripes never lose more than that. A host already dead (its chunks not yet replaced) is spared.
         */
        private void kill(final int slot)
        {
            if (killed.size() >= setup.maxKills())
            {
                return;
            }
            if (unrebuiltKills >= setup.redundancy().parityPages())
            {
                awaitRebuilt();
            }
            final List<Chunk> chunks = memory.chunks();
            final int victim = chunks.get(slot % chunks.size()).hostNodeId();
            if (killed.contains(victim))
            {
                return;
            }
            final Set<Integer> victimSlots = new HashSet<>();
            for (int i = 0; i < chunks.size(); i++)
            {
                if (chunks.get(i).hostNodeId() == victim)
                {
                    victimSlots.add(i);
                }
            }
            if (sharesAStripeUnderRebuild(victimSlots))
            {
                coverage.onStripeDoubleLoss();
            }
            try
            {
                if (setup.deathsByTimeout())
                {
                    pool.pause(victim);
                    awaitDeclaredDead(victim);
                    coverage.onTimeoutDeath();
                }
                else
                {
                    pool.kill(victim);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while killing host " + victim, ex);
            }
            killed.add(victim);
            lostSlots.addAll(victimSlots);
            unrebuiltKills++;
        }

        /**
         * @return whether a slot of the victim is in a group that lost a slot whose rebuild has not finished.
         */
        private boolean sharesAStripeUnderRebuild(final Set<Integer> victimSlots)
        {
            if (lostSlots.isEmpty() || (memory.pagesToRebuild() == 0 && onKilledHost() == 0))
            {
                return false;
            }
            for (final int slot : victimSlots)
            {
                for (final int lost : lostSlots)
                {
                    if (group(slot) == group(lost))
                    {
                        return true;
                    }
                }
            }
            return false;
        }

        private int group(final int slot)
        {
            final int k = setup.redundancy().dataPages();
            final int m = setup.redundancy().parityPages();
            final int dataSlots = (int)(setup.addressSpaceBytes() / FarSetup.CHUNK_SIZE_BYTES);
            return slot < dataSlots ? slot / k : (slot - dataSlots) / Math.max(1, m);
        }

        /**
         * Waits, without driving the far memory, until the compute node has declared a paused host dead: the far
         * memory learns of it at its next look, in the middle of the workload.
         */
        private void awaitDeclaredDead(final int victim) throws InterruptedException
        {
            final long deadlineMs = System.currentTimeMillis() + DEATH_TIMEOUT_MS;
            while (compute.peerState(victim) != PeerState.DEAD)
            {
                if (System.currentTimeMillis() - deadlineMs > 0)
                {
                    throw new AssertionError(where() + ": host " + victim + " paused " + DEATH_TIMEOUT_MS +
                        " ms ago is " + compute.peerState(victim) + " to the compute node, not DEAD" + context());
                }
                Thread.sleep(1);
            }
        }

        /**
         * Has the host of a chunk of the far memory ask for its free chunks and some lent ones back, unless a host
         * already did in this trial (the pool has room for so many) or this one died.
         */
        private void reclaim(final int slot, final int lentChunks)
        {
            if (reclaiming.size() >= setup.maxEvacuations())
            {
                return;
            }
            final List<Chunk> chunks = memory.chunks();
            final int host = chunks.get(slot % chunks.size()).hostNodeId();
            if (killed.contains(host))
            {
                return;
            }
            pool.reclaim(host, lentChunks);
            reclaiming.add(host);
            coverage.onReclaim();
            // Until the controller has handled the request (free chunks withdrawn, then lent ones marked), a detach
            // could park a chunk it then marks: lent to nobody, whom nobody is asked to evacuate (the pool's matter).
            final long deadlineMs = System.currentTimeMillis() + EVACUATION_TIMEOUT_MS;
            int[] states = pool.chunkStates(host);
            while (count(states, ChunkTableDescriptor.STATE_FREE) > 0 ||
                (count(states, ChunkTableDescriptor.STATE_RECLAIMING) == 0 &&
                count(states, ChunkTableDescriptor.STATE_LENT) > 0))
            {
                if (System.currentTimeMillis() - deadlineMs > 0)
                {
                    throw new AssertionError(where() + ": the controller did not handle host " + host +
                        "'s reclaim in " + EVACUATION_TIMEOUT_MS + " ms" + context());
                }
                Thread.onSpinWait();
                states = pool.chunkStates(host);
            }
            // The controller marks a chunk, then sends its borrower the request to evacuate it: let the request land.
            LockSupport.parkNanos(REQUEST_LANDING_NS);
        }

        /**
         * Drives the far memory's duty cycle until every host that reclaimed in this trial (and still lives) has
         * chunks withdrawn and none left being reclaimed; then no chunk of the far memory may be on it other than lent.
         */
        private void awaitEvacuated()
        {
            for (final int host : reclaiming)
            {
                if (killed.contains(host))
                {
                    continue;
                }
                final long deadlineMs = System.currentTimeMillis() + EVACUATION_TIMEOUT_MS;
                int[] states = pool.chunkStates(host);
                // Withdrawn chunks say the controller has handled the reclaim (it withdraws free chunks at once, lent
                // ones once evacuated); none being reclaimed, that the far memory has evacuated what it was asked to.
                while (count(states, ChunkTableDescriptor.STATE_WITHDRAWN) == 0 ||
                    count(states, ChunkTableDescriptor.STATE_RECLAIMING) > 0)
                {
                    if (System.currentTimeMillis() - deadlineMs > 0)
                    {
                        throw new AssertionError(where() + ": host " + host + " still has " +
                            count(states, ChunkTableDescriptor.STATE_RECLAIMING) + " chunks being reclaimed and " +
                            count(states, ChunkTableDescriptor.STATE_FREE) + " free after " + EVACUATION_TIMEOUT_MS +
                            " ms; the far memory holds " + memory.chunks() + context());
                    }
                    memory.doWork();
                    states = pool.chunkStates(host);
                }
                for (final Chunk chunk : memory.chunks())
                {
                    if (chunk.hostNodeId() == host && states[chunk.chunkIndex()] != ChunkTableDescriptor.STATE_LENT)
                    {
                        throw new AssertionError(where() + ": the far memory still holds " + chunk + " of host " +
                            host + ", which is " + ChunkTableDescriptor.stateName(states[chunk.chunkIndex()]) +
                            " there after the reclaim" + context());
                    }
                }
            }
        }

        /**
         * Drives the far memory's duty cycle until it has noticed every host killed and rebuilt what they held: no
         * page left to rebuild and no chunk left on a dead host.
         */
        private void awaitRebuilt()
        {
            final long deadlineMs = System.currentTimeMillis() + REBUILD_TIMEOUT_MS;
            while (memory.pagesToRebuild() > 0 || onKilledHost() > 0)
            {
                if (System.currentTimeMillis() - deadlineMs > 0)
                {
                    throw new AssertionError(where() + ": the rebuild did not finish in " + REBUILD_TIMEOUT_MS +
                        " ms: " + memory.pagesToRebuild() + " pages to rebuild, " + onKilledHost() +
                        " chunks on the killed hosts " + killed + context());
                }
                memory.doWork();
            }
            unrebuiltKills = 0;
            lostSlots.clear();
        }

        private long onKilledHost()
        {
            return memory.chunks().stream().filter(chunk -> killed.contains(chunk.hostNodeId())).count();
        }

        private void compare(final long address, final int length, final String what)
        {
            final byte[] actual = new byte[length];
            memory.getBytes(address, actual, 0, length);
            int first = -1;
            int differing = 0;
            for (int i = 0; i < length; i++)
            {
                if (actual[i] != model[(int)address + i])
                {
                    first = first < 0 ? i : first;
                    differing++;
                }
            }
            if (first >= 0)
            {
                final long at = address + first;
                throw new AssertionError(what + ": the byte at address " + at + " (page " + at / PAGE + ", line " +
                    (at % PAGE) / FarMemory.LINE_SIZE_BYTES + ") is " + hex(model[(int)at], 1) + " in the model but " +
                    hex(actual[first], 1) + " in far memory; " + differing + " of the " + length + " bytes read " +
                    "from " + address + " differ" + context());
            }
        }

        private boolean inRange(final long address, final long length)
        {
            return address >= 0 && length > 0 && address + length <= model.length;
        }

        private String where()
        {
            return null == action ? "after the last action" : "action " + (index + 1) + " (" + action + ")";
        }

        private String context()
        {
            if (null == memory)
            {
                return "";
            }
            return " [" + setup + ": hosts killed " + killed + ", reclaiming " + reclaiming + ", chunks evacuated " +
                memory.evacuatedChunks() + ", evictions " + memory.evictions() + ", misses " +
                memory.misses() + ", host deaths seen " + memory.hostDeaths() + ", degraded reads " +
                memory.degradedReads() + ", pages rebuilt " + memory.rebuiltPages() + ", to rebuild " +
                memory.pagesToRebuild() + "]";
        }

        private void closeAfterFailure()
        {
            try
            {
                memory.close();
            }
            catch (final RuntimeException ex)
            {
                // The trial failed already; the compute node's close returns whatever is still borrowed.
            }
            memory = null;
        }
    }

    private static int count(final int[] states, final int state)
    {
        int count = 0;
        for (final int s : states)
        {
            count += s == state ? 1 : 0;
        }
        return count;
    }

    private static String hex(final long value, final int width)
    {
        final String digits = Long.toHexString(width == Long.BYTES ? value : value & ((1L << (8 * width)) - 1));
        return "0x" + "0".repeat(Math.max(0, 2 * width - digits.length())) + digits;
    }
}
