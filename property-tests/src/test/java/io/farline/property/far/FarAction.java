package io.farline.property.far;

import io.farline.property.harness.Simplifier;

import java.util.ArrayList;
import java.util.List;

/**
 * A step of {@link FarMemoryScenario}. Each action prints as the Java expression that builds it, so that a shrunk
 * sequence from a report can be pasted into a regression test ({@link FarMemoryCounterexamplesTest}).
 */
sealed interface FarAction permits FarAction.Write, FarAction.Read, FarAction.Put, FarAction.Get, FarAction.Flush,
    FarAction.DoWork, FarAction.MapReadOnly, FarAction.KillHost, FarAction.Evacuate, FarAction.Rebuild,
    FarAction.Reopen
{
    /**
     * @return simpler versions of this action, for shrinking; never a host loss where there was none.
     */
    List<FarAction> simpler();

    /**
     * {@code putBytes} of {@code length} bytes drawn from {@code seed} at {@code address}, across pages if need be.
     *
     * @param address first byte.
     * @param length  bytes, at least 1.
     * @param seed    of the bytes.
     */
    record Write(long address, int length, long seed) implements FarAction
    {
        @Override
        public List<FarAction> simpler()
        {
            final List<FarAction> simpler = new ArrayList<>();
            for (final int shorter : Simplifier.towards(length, 1))
            {
                simpler.add(new Write(address, shorter, seed));
            }
            for (final long lower : Simplifier.towards(address, 0))
            {
                simpler.add(new Write(lower, length, seed));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "new Write(" + address + "L, " + length + ", " + seed + "L)";
        }
    }

    /**
     * {@code getBytes} of {@code length} bytes at {@code address}, compared with the model.
     *
     * @param address first byte.
     * @param length  bytes, at least 1.
     */
    record Read(long address, int length) implements FarAction
    {
        @Override
        public List<FarAction> simpler()
        {
            final List<FarAction> simpler = new ArrayList<>();
            for (final int shorter : Simplifier.towards(length, 1))
            {
                simpler.add(new Read(address, shorter));
            }
            for (final long lower : Simplifier.towards(address, 0))
            {
                simpler.add(new Read(lower, length));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "new Read(" + address + "L, " + length + ")";
        }
    }

    /**
     * {@code putByte}, {@code putInt} or {@code putLong} of the low {@code width} bytes of {@code value}.
     *
     * @param width   1, 4 or 8.
     * @param address naturally aligned, so that the access does not cross a page.
     * @param value   stored.
     */
    record Put(int width, long address, long value) implements FarAction
    {
        @Override
        public List<FarAction> simpler()
        {
            final List<FarAction> simpler = new ArrayList<>();
            for (final long lower : Simplifier.towards(address, 0))
            {
                final long aligned = lower & -width;
                if (aligned != address)
                {
                    simpler.add(new Put(width, aligned, value));
                }
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "new Put(" + width + ", " + address + "L, " + value + "L)";
        }
    }

    /**
     * {@code getByte}, {@code getInt} or {@code getLong}, compared with the model.
     *
     * @param width   1, 4 or 8.
     * @param address naturally aligned.
     */
    record Get(int width, long address) implements FarAction
    {
        @Override
        public List<FarAction> simpler()
        {
            final List<FarAction> simpler = new ArrayList<>();
            for (final long lower : Simplifier.towards(address, 0))
            {
                final long aligned = lower & -width;
                if (aligned != address)
                {
                    simpler.add(new Get(width, aligned));
                }
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "new Get(" + width + ", " + address + "L)";
        }
    }

    /**
     * {@code flush()}: every dirty line and its parity written back and acknowledged.
     */
    record Flush() implements FarAction
    {
        @Override
        public List<FarAction> simpler()
        {
            return List.of();
        }

        @Override
        public String toString()
        {
            return "new Flush()";
        }
    }

    /**
     * {@code doWork()} called {@code cycles} times: completions, reclaims ahead, a step of a rebuild, the periodic
     * write-back.
     *
     * @param cycles duty cycles, at least 1.
     */
    record DoWork(int cycles) implements FarAction
    {
        @Override
        public List<FarAction> simpler()
        {
            final List<FarAction> simpler = new ArrayList<>();
            for (final int fewer : Simplifier.towards(cycles, 1))
            {
                simpler.add(new DoWork(fewer));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "new DoWork(" + cycles + ")";
        }
    }

    /**
     * {@code mapReadOnlyFromHosts} of {@code pages} pages from {@code firstPage}: reads of them go to the hosts, and
     * the first write to one promotes it.
     *
     * @param firstPage first page mapped.
     * @param pages     pages mapped, at least 1.
     */
    record MapReadOnly(int firstPage, int pages) implements FarAction
    {
        @Override
        public List<FarAction> simpler()
        {
            final List<FarAction> simpler = new ArrayList<>();
            for (final int fewer : Simplifier.towards(pages, 1))
            {
                simpler.add(new MapReadOnly(firstPage, fewer));
            }
            for (final int lower : Simplifier.towards(firstPage, 0))
            {
                simpler.add(new MapReadOnly(lower, pages));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "new MapReadOnly(" + firstPage + ", " + pages + ")";
        }
    }

    /**
     * Kills the host of chunk {@code slot} (modulo the chunk count) of {@code chunks()}, after the rebuild of any
     * earlier loss has finished if another loss could take a stripe past its parity (with Reed-Solomon 2+2, the
     * second of two losses comes at once). With {@link FarSetup#deathsByTimeout()} the host is paused instead, and
     * the action returns once the compute node has declared it dead.
     *
     * @param slot index into the far memory's chunks.
     */
    record KillHost(int slot) implements FarAction
    {
        @Override
        public List<FarAction> simpler()
        {
            final List<FarAction> simpler = new ArrayList<>();
            for (final int lower : Simplifier.towards(slot, 0))
            {
                simpler.add(new KillHost(lower));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "new KillHost(" + slot + ")";
        }
    }

    /**
     * Has the host of chunk {@code slot} (modulo the chunk count) of {@code chunks()} reclaim its free chunks and
     * {@code lentChunks} of those it lends: the pool asks the far memory to evacuate them, which it does between
     * later accesses. The action does not wait; {@link Rebuild} and the end of the trial do, and check that no chunk
     * of the far memory is left on the host in a reclaimed state.
     *
     * @param slot       index into the far memory's chunks.
     * @param lentChunks lent chunks the host asks back, 1 or 2.
     */
    record Evacuate(int slot, int lentChunks) implements FarAction
    {
        @Override
        public List<FarAction> simpler()
        {
            final List<FarAction> simpler = new ArrayList<>();
            for (final int lower : Simplifier.towards(slot, 0))
            {
                simpler.add(new Evacuate(lower, lentChunks));
            }
            if (lentChunks > 1)
            {
                simpler.add(new Evacuate(slot, 1));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "new Evacuate(" + slot + ", " + lentChunks + ")";
        }
    }

    /**
     * Runs {@code doWork()} until every page lost with a host has been rebuilt onto a replacement chunk, and every
     * chunk a host reclaimed has been evacuated.
     */
    record Rebuild() implements FarAction
    {
        @Override
        public List<FarAction> simpler()
        {
            return List.of();
        }

        @Override
        public String toString()
        {
            return "new Rebuild()";
        }
    }

    /**
     * {@code detach()}, then {@code reopen()} over the parked chunks with an empty cache: every page is read back
     * from the hosts.
     */
    record Reopen() implements FarAction
    {
        @Override
        public List<FarAction> simpler()
        {
            return List.of();
        }

        @Override
        public String toString()
        {
            return "new Reopen()";
        }
    }
}
