package io.farline.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The counters of a paired tracking benchmark, one that runs subject and baseline in one fork, into the same memory
 * (the tracked buffer and its untracked view), so that both sides see the same physical pages and the same machine:
 * two regions allocated apart differed by 7% on this machine whichever buffer wrapped them. Its metrics are the ratio
 * of the two counters, summed over each fork's iterations ({@link SuiteMetrics.Figure#TRACKED_NS},
 * {@link SuiteMetrics.Figure#RAW_NS}). One benchmark thread only.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class PairedTimes
{
    /** Counter name of the nanoseconds spent in tracked batches. */
    static final String TRACKED_NS_COUNTER = "trackedNs";
    /** Counter name of the nanoseconds spent in raw batches. */
    static final String RAW_NS_COUNTER = "rawNs";

    /** Nanoseconds in tracked batches, this iteration. */
    public long trackedNs;
    /** Nanoseconds in raw batches, this iteration. */
    public long rawNs;
    boolean trackedFirst;

    /**
     * The two sides of a paired benchmark: one batch each, the same work into the same memory.
     */
    interface Sides
    {
        /**
         * Runs one batch of the subject: tracked stores.
         */
        void trackedBatch();

        /**
         * Runs one batch of the baseline: raw stores through the untracked view.
         */
        void rawBatch();
    }

    /**
     * Counters restart each iteration.
     */
    @Setup(Level.Iteration)
    public void reset()
    {
        trackedNs = 0;
        rawNs = 0;
    }

    /**
     * Runs one batch of each side, back to back, and adds the time each took to its counter. The tracked batch goes
     * first every other call, so that neither side always inherits the other's tail (stores still draining from the
     * store buffer, lines it left in the caches). Three time stamps time both batches.
     *
     * @param sides the two sides.
     */
    void timeBatches(final Sides sides)
    {
        trackedFirst = !trackedFirst;
        final long startNs = System.nanoTime();
        if (trackedFirst)
        {
            sides.trackedBatch();
        }
        else
        {
            sides.rawBatch();
        }
        final long middleNs = System.nanoTime();
        if (trackedFirst)
        {
            sides.rawBatch();
        }
        else
        {
            sides.trackedBatch();
        }
        final long endNs = System.nanoTime();
        trackedNs += trackedFirst ? middleNs - startNs : endNs - middleNs;
        rawNs += trackedFirst ? endNs - middleNs : middleNs - startNs;
    }
}
