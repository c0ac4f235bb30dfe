package io.farline.bench;

import io.farline.core.tracking.DirtyBitmap;
import io.farline.core.tracking.TrackedBuffer;
import io.farline.core.tracking.TrackedMemory;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Metric P2-put-clean: the first tracked store to a line in an epoch, the clean-to-dirty transition (an atomic OR on
 * the line's bitmap word). Subject: {@code TrackedBuffer.putLong} to the first long of each of {@link #BATCH} distinct
 * lines of a 64 MiB tracked region whose every line is clean. Baseline: {@code UnsafeBuffer.putLong} to the same lines
 * of a raw 64 MiB region. The lines come from one seeded random permutation of all lines, a batch of {@link #BATCH}
 * per invocation; time per store, ns.
 * <p>
 * Before each invocation, outside the timing ({@code Level.Invocation}), the subject's set-up clears the bitmap words
 * the previous batch set (swapping them to zero, as a drain does), so every line of the next batch is clean; the
 * baseline's set-up only moves to the next batch, so both sides are timed per invocation alike. A batch takes tens of
 * microseconds, so the two time stamps JMH takes per invocation weigh well under 1%.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.TRACKING_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.TRACKING_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
public class TrackedBufferCleanPutLongLatencyBenchmark
{
    /** Stores per invocation, each to a distinct line; divides {@link TrackingRegions#LINE_COUNT}. */
    static final int BATCH = 4096;

    /**
     * What both sides share: the permutation of lines and the batch being stored.
     */
    public abstract static class Batches
    {
        int[] lines;
        /** First index into {@link #lines} of the batch the next invocation stores; starts one batch before 0. */
        int batchStart = TrackingRegions.LINE_COUNT - BATCH;

        void drawLines()
        {
            lines = TrackingRegions.linePermutation(TrackingRegions.LINE_COUNT, TrackingRegions.SEED);
        }

        void advance()
        {
            batchStart = (batchStart + BATCH) & (TrackingRegions.LINE_COUNT - 1);
        }
    }

    /**
     * Baseline state: a raw region.
     */
    @State(Scope.Thread)
    public static class RawLines extends Batches
    {
        UnsafeBuffer buffer;

        /**
         * Allocates the region and draws the lines.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            buffer = TrackingRegions.allocateRaw();
            drawLines();
        }

        /**
         * Moves to the next batch, outside the timing.
         */
        @Setup(Level.Invocation)
        public void nextBatch()
        {
            advance();
        }
    }

    /**
     * Subject state: a tracked region whose lines are clean before each batch.
     */
    @State(Scope.Thread)
    public static class TrackedLines extends Batches
    {
        TrackedMemory memory;
        TrackedBuffer buffer;
        DirtyBitmap bitmap;

        /**
         * Allocates the region, every line clean, and draws the lines.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            memory = TrackingRegions.allocateTracked();
            buffer = memory.buffer();
            bitmap = memory.dirtyBitmap();
            drawLines();
        }

        /**
         * Outside the timing: clears the words the previous batch set, which leaves the whole bitmap clean, and moves
         * to the next batch.
         */
        @Setup(Level.Invocation)
        public void cleanAndNextBatch()
        {
            cleanBatch();
            advance();
        }

        /**
         * Checks that the bitmap holds no bits besides the last batch's: that every batch met clean lines.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            try
            {
                cleanBatch();
                for (int word = 0; word < bitmap.wordCount(); word++)
                {
                    if (bitmap.wordVolatile(word) != 0)
                    {
                        throw new IllegalStateException("bitmap word " + word + " is dirty after the last batch " +
                            "was cleaned: batches did not all store to clean lines");
                    }
                }
            }
            finally
            {
                CloseHelper.close(memory);
            }
        }

        private void cleanBatch()
        {
            final int end = batchStart + BATCH;
            for (int i = batchStart; i < end; i++)
            {
                bitmap.takeWord(lines[i] >>> 6);
            }
        }
    }

    /**
     * Subject: {@link #BATCH} tracked stores, each the first to its line in the epoch.
     *
     * @param state the tracked region and the batch.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void trackedBufferPutLong(final TrackedLines state)
    {
        final TrackedBuffer buffer = state.buffer;
        final int[] lines = state.lines;
        final int first = state.batchStart;
        final int end = first + BATCH;
        for (int i = first; i < end; i++)
        {
            buffer.putLong(lines[i] * TrackingRegions.LINE_LENGTH_BYTES, i);
        }
    }

    /**
     * Baseline: {@link #BATCH} raw stores to the same lines.
     *
     * @param state the raw region and the batch.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void unsafeBufferPutLong(final RawLines state)
    {
        final UnsafeBuffer buffer = state.buffer;
        final int[] lines = state.lines;
        final int first = state.batchStart;
        final int end = first + BATCH;
        for (int i = first; i < end; i++)
        {
            buffer.putLong(lines[i] * TrackingRegions.LINE_LENGTH_BYTES, i);
        }
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(TrackedBufferCleanPutLongLatencyBenchmark.class, args);
    }
}
