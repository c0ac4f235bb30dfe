package io.farline.property.transport;

import io.farline.property.harness.Simplifier;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of the verbs property: a one-sided verb the issuing node runs on one of the target's regions (posted or
 * blocking, with the region's rkey or a forged one), a local write by the target through its region buffer, or a
 * poll of the issuer's completion queue. Values, printed as the failure report's action list.
 */
sealed interface VerbAction
{
    /** How a verb is issued. */
    enum Mode
    {
        /** The blocking call: returns the result or throws a VerbException. */
        BLOCKING,
        /** postXxx now, its completion checked when a later Poll (or the end of the run) polls it. */
        POSTED
    }

    /**
     * @return simpler versions of this action, each differing in one field, for shrinking.
     */
    List<VerbAction> simpler();

    /**
     * READ {@code length} bytes at {@code offset}.
     */
    record Read(int region, long offset, int length, Mode mode, boolean wrongKey) implements VerbAction
    {
        @Override
        public List<VerbAction> simpler()
        {
            final List<VerbAction> simpler = new ArrayList<>();
            Simplifier.towards(region, 0).forEach(v -> simpler.add(new Read(v, offset, length, mode, wrongKey)));
            Simplifier.towards(offset, 0L).forEach(v -> simpler.add(new Read(region, v, length, mode, wrongKey)));
            Simplifier.towards(length, 0).forEach(v -> simpler.add(new Read(region, offset, v, mode, wrongKey)));
            if (mode != Mode.BLOCKING)
            {
                simpler.add(new Read(region, offset, length, Mode.BLOCKING, wrongKey));
            }
            if (wrongKey)
            {
                simpler.add(new Read(region, offset, length, mode, false));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "READ " + RegionSpec.describe(region) + " offset " + offset + " length " + length +
                suffix(mode, wrongKey);
        }
    }

    /**
     * WRITE {@code length} bytes drawn from {@code dataSeed} at {@code offset}.
     */
    record Write(int region, long offset, int length, long dataSeed, Mode mode, boolean wrongKey) implements VerbAction
    {
        @Override
        public List<VerbAction> simpler()
        {
            final List<VerbAction> simpler = new ArrayList<>();
            Simplifier.towards(region, 0).forEach(
                v -> simpler.add(new Write(v, offset, length, dataSeed, mode, wrongKey)));
            Simplifier.towards(offset, 0L).forEach(
                v -> simpler.add(new Write(region, v, length, dataSeed, mode, wrongKey)));
            Simplifier.towards(length, 0).forEach(
                v -> simpler.add(new Write(region, offset, v, dataSeed, mode, wrongKey)));
            if (dataSeed != 0)
            {
                simpler.add(new Write(region, offset, length, 0, mode, wrongKey));
            }
            if (mode != Mode.BLOCKING)
            {
                simpler.add(new Write(region, offset, length, dataSeed, Mode.BLOCKING, wrongKey));
            }
            if (wrongKey)
            {
                simpler.add(new Write(region, offset, length, dataSeed, mode, false));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "WRITE " + RegionSpec.describe(region) + " offset " + offset + " length " + length + " data#" +
                dataSeed + suffix(mode, wrongKey);
        }
    }

    /**
     * COMPARE_AND_SWAP at {@code offset}: expecting the model's current word if {@code expectCurrent} (so that the
     * swap happens), else {@code expected}.
     */
    record CompareAndSwap(int region, long offset, boolean expectCurrent, long expected, long desired, Mode mode,
        boolean wrongKey) implements VerbAction
    {
        @Override
        public List<VerbAction> simpler()
        {
            final List<VerbAction> simpler = new ArrayList<>();
            Simplifier.towards(region, 0).forEach(v -> simpler.add(
                new CompareAndSwap(v, offset, expectCurrent, expected, desired, mode, wrongKey)));
            Simplifier.towards(offset, 0L).forEach(v -> simpler.add(
                new CompareAndSwap(region, v, expectCurrent, expected, desired, mode, wrongKey)));
            Simplifier.towards(expected, 0L).forEach(v -> simpler.add(
                new CompareAndSwap(region, offset, expectCurrent, v, desired, mode, wrongKey)));
            Simplifier.towards(desired, 0L).forEach(v -> simpler.add(
                new CompareAndSwap(region, offset, expectCurrent, expected, v, mode, wrongKey)));
            if (mode != Mode.BLOCKING)
            {
                simpler.add(new CompareAndSwap(region, offset, expectCurrent, expected, desired, Mode.BLOCKING,
                    wrongKey));
            }
            if (wrongKey)
            {
                simpler.add(new CompareAndSwap(region, offset, expectCurrent, expected, desired, mode, false));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "CAS " + RegionSpec.describe(region) + " offset " + offset + " expected " +
                (expectCurrent ? "<current word>" : Long.toString(expected)) + " desired " + desired +
                suffix(mode, wrongKey);
        }
    }

    /**
     * FETCH_AND_ADD of {@code delta} at {@code offset}.
     */
    record FetchAndAdd(int region, long offset, long delta, Mode mode, boolean wrongKey) implements VerbAction
    {
        @Override
        public List<VerbAction> simpler()
        {
            final List<VerbAction> simpler = new ArrayList<>();
            Simplifier.towards(region, 0).forEach(v -> simpler.add(new FetchAndAdd(v, offset, delta, mode, wrongKey)));
            Simplifier.towards(offset, 0L).forEach(
                v -> simpler.add(new FetchAndAdd(region, v, delta, mode, wrongKey)));
            Simplifier.towards(delta, 1L).forEach(
                v -> simpler.add(new FetchAndAdd(region, offset, v, mode, wrongKey)));
            if (mode != Mode.BLOCKING)
            {
                simpler.add(new FetchAndAdd(region, offset, delta, Mode.BLOCKING, wrongKey));
            }
            if (wrongKey)
            {
                simpler.add(new FetchAndAdd(region, offset, delta, mode, false));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "FAA " + RegionSpec.describe(region) + " offset " + offset + " delta " + delta +
                suffix(mode, wrongKey);
        }
    }

    /**
     * The target writes {@code length} bytes drawn from {@code dataSeed} at {@code offset} through its region's
     * buffer, after the issuer has polled every outstanding completion (local and remote accesses are not ordered
     * otherwise).
     */
    record LocalWrite(int region, int offset, int length, long dataSeed) implements VerbAction
    {
        @Override
        public List<VerbAction> simpler()
        {
            final List<VerbAction> simpler = new ArrayList<>();
            Simplifier.towards(region, 0).forEach(v -> simpler.add(new LocalWrite(v, offset, length, dataSeed)));
            Simplifier.towards(offset, 0).forEach(v -> simpler.add(new LocalWrite(region, v, length, dataSeed)));
            Simplifier.towards(length, 0).forEach(v -> simpler.add(new LocalWrite(region, offset, v, dataSeed)));
            if (dataSeed != 0)
            {
                simpler.add(new LocalWrite(region, offset, length, 0));
            }
            return simpler;
        }

        @Override
        public String toString()
        {
            return "LOCAL_WRITE by owner " + RegionSpec.describe(region) + " offset " + offset + " length " +
                length + " data#" + dataSeed;
        }
    }

    /**
     * Polls up to {@code limit} completions of posted verbs.
     */
    record Poll(int limit) implements VerbAction
    {
        @Override
        public List<VerbAction> simpler()
        {
            final List<VerbAction> simpler = new ArrayList<>();
            Simplifier.towards(limit, 1).forEach(v -> simpler.add(new Poll(v)));
            return simpler;
        }

        @Override
        public String toString()
        {
            return "POLL up to " + limit;
        }
    }

    private static String suffix(final Mode mode, final boolean wrongKey)
    {
        return (mode == Mode.POSTED ? " posted" : " blocking") + (wrongKey ? " WRONG-RKEY" : "");
    }
}
