package io.farline.bench;

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
 * Metric P1-put-dirty: the fast path of a tracked store. Subject: {@code TrackedBuffer.putLong} at random
 * 8-byte-aligned offsets of a 64 MiB tracked region whose every line is already dirty (so each store adds one load and
 * a test of its bitmap word, never an atomic). Baseline: {@code UnsafeBuffer.putLong} at the same offsets of a raw
 * 64 MiB region. Both take their offsets, in the same order, from one seeded array of {@link #OFFSET_COUNT},
 * {@link #BATCH} stores per invocation; time per store, ns.
 * <p>
 * The stores are side effects on off-heap memory, so the JIT cannot drop them; the stored value changes with every
 * store, so none is redundant either.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.TRACKING_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.TRACKING_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
public class TrackedBufferPutLongLatencyBenchmark
{
    /** Stores per invocation: enough to make JMH's per-invocation cost negligible. */
    static final int BATCH = 1024;
    /** Offsets in the shared array (4 MiB of ints), a multiple of {@link #BATCH}: about 1 M distinct lines. */
    static final int OFFSET_COUNT = 1 << 20;

    /**
     * The offsets, the same for subject and baseline, and where the next batch starts.
     */
    @State(Scope.Thread)
    public static class Offsets
    {
        int[] offsets;
        int nextBatch;

        /**
         * Draws the offsets.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            offsets = TrackingRegions.randomLongOffsets(
                OFFSET_COUNT, TrackingRegions.REGION_LENGTH_BYTES, TrackingRegions.SEED);
        }

        int nextBatch()
        {
            final int first = nextBatch;
            nextBatch = (first + BATCH) & (OFFSET_COUNT - 1);
            return first;
        }
    }

    /**
     * Baseline state: a raw region.
     */
    @State(Scope.Benchmark)
    public static class RawRegion
    {
        UnsafeBuffer buffer;

        /**
         * Allocates the region.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            buffer = TrackingRegions.allocateRaw();
        }
    }

    /**
     * Subject state: a tracked region with every line dirty.
     */
    @State(Scope.Benchmark)
    public static class TrackedRegion
    {
        TrackedMemory memory;
        TrackedBuffer buffer;

        /**
         * Allocates the region and marks every line dirty; nothing drains it, so every line stays dirty.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            memory = TrackingRegions.allocateTracked();
            TrackingRegions.markAllDirty(memory);
            buffer = memory.buffer();
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
     * Subject: {@link #BATCH} tracked stores to lines that are already dirty.
     *
     * @param region  the tracked region.
     * @param offsets the offsets.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void trackedBufferPutLong(final TrackedRegion region, final Offsets offsets)
    {
        final TrackedBuffer buffer = region.buffer;
        final int[] at = offsets.offsets;
        final int first = offsets.nextBatch();
        final int end = first + BATCH;
        for (int i = first; i < end; i++)
        {
            buffer.putLong(at[i], i);
        }
    }

    /**
     * Baseline: {@link #BATCH} raw stores at the same offsets.
     *
     * @param region  the raw region.
     * @param offsets the offsets.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void unsafeBufferPutLong(final RawRegion region, final Offsets offsets)
    {
        final UnsafeBuffer buffer = region.buffer;
        final int[] at = offsets.offsets;
        final int first = offsets.nextBatch();
        final int end = first + BATCH;
        for (int i = first; i < end; i++)
        {
            buffer.putLong(at[i], i);
        }
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(TrackedBufferPutLongLatencyBenchmark.class, args);
    }
}
