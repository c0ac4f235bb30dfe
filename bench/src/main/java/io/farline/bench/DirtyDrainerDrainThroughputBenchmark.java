package io.farline.bench;

import io.farline.core.tracking.DirtyBitmap;
import io.farline.core.tracking.DirtyDrainer;
import io.farline.core.tracking.DirtyRuns;
import io.farline.core.tracking.TrackedMemory;
import org.agrona.CloseHelper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Metrics drain-1pct-gbps and drain-100pct-gbps (record): whole-epoch drains per second of a 64 MiB tracked region
 * with {@link Drain#dirtyPercent} of its lines dirty; the runner reports them as GB (10<sup>9</sup> bytes) of tracked
 * memory drained per second. One drain walks all 16,384 bitmap words, swaps each non-zero one to zero, delivers the
 * coalesced runs into a caller's {@link DirtyRuns} and runs the process-wide barrier once: all of it is timed.
 * <p>
 * Before each drain, outside the timing ({@code Level.Invocation}), the set-up marks the same lines dirty again: a
 * seeded random 1% (about 10,500 lines, most of them runs of one line) or every line (one run). It also checks that the
 * previous drain ended its epoch and delivered exactly the dirty bytes, so a drain that did less work would fail the
 * benchmark rather than flatter it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.TRACKING_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.TRACKING_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
public class DirtyDrainerDrainThroughputBenchmark
{
    /**
     * The tracked region, its drainer and the lines to mark dirty before each drain.
     */
    @State(Scope.Thread)
    public static class Drain
    {
        /** Share of the region's lines dirty at each drain, percent. */
        @Param({ "1", "100" })
        public int dirtyPercent;

        TrackedMemory memory;
        DirtyBitmap bitmap;
        DirtyDrainer drainer;
        DirtyRuns runs;
        int[] dirtyLines;
        long dirtyBytes;
        boolean drained;

        /**
         * Allocates the region and the run buffer, large enough for any pattern (every other line dirty), so that
         * one drain always ends the epoch.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            memory = TrackingRegions.allocateTracked();
            bitmap = memory.dirtyBitmap();
            drainer = memory.drainer();
            runs = new DirtyRuns((TrackingRegions.LINE_COUNT + 1) / 2);
            dirtyLines = TrackingRegions.randomDistinctLines(TrackingRegions.LINE_COUNT, dirtyPercent,
                TrackingRegions.SEED);
            dirtyBytes = (long)dirtyLines.length * TrackingRegions.LINE_LENGTH_BYTES;
        }

        /**
         * Outside the timing: checks the previous drain, then marks the lines dirty again.
         */
        @Setup(Level.Invocation)
        public void markDirty()
        {
            if (drained && (!runs.endsEpoch() || runs.totalBytes() != dirtyBytes))
            {
                throw new IllegalStateException("the drain delivered " + runs.totalBytes() + " bytes in " +
                    runs.count() + " runs (ends epoch: " + runs.endsEpoch() + "), not the " + dirtyBytes +
                    " bytes marked dirty");
            }
            drained = true;
            if (dirtyLines.length == TrackingRegions.LINE_COUNT)
            {
                bitmap.markUnits(0, TrackingRegions.LINE_COUNT - 1);
            }
            else
            {
                for (final int line : dirtyLines)
                {
                    bitmap.markUnit(line);
                }
            }
        }

        /**
         * Releases the region.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            CloseHelper.close(memory);
        }
    }

    /**
     * One whole-epoch drain of the region.
     *
     * @param state the region and its drainer.
     * @return the number of runs delivered.
     */
    @Benchmark
    public int drain(final Drain state)
    {
        return state.drainer.drain(state.runs);
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(DirtyDrainerDrainThroughputBenchmark.class, args);
    }
}
