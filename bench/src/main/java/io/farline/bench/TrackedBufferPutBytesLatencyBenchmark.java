package io.farline.bench;

import io.farline.core.tracking.TrackedBuffer;
import io.farline.core.tracking.TrackedMemory;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Metric P1-putbytes-4k: a tracked bulk copy. Subject: {@code TrackedBuffer.putBytes} of 4 KiB from a page-aligned
 * direct buffer into a 64 MiB tracked region, page after page, wrapping at the end; every line is dirty, as it is in
 * steady state (nothing drains), so the copy adds one load and a test of the page's bitmap word. Baseline:
 * {@code UnsafeBuffer.putBytes} of the same 4 KiB into the same pages of a raw 64 MiB region. Time per copy, ns.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.TRACKING_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.TRACKING_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
public class TrackedBufferPutBytesLatencyBenchmark
{
    static final int LENGTH_BYTES = TrackingRegions.PAGE_LENGTH_BYTES;

    /**
     * The page-aligned source of the copies, the same for subject and baseline, and the next destination page.
     */
    @State(Scope.Thread)
    public static class Source
    {
        UnsafeBuffer source;
        int nextOffset;

        /**
         * Allocates and fills the source.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            source = new UnsafeBuffer(
                BufferUtil.allocateDirectAligned(LENGTH_BYTES, TrackingRegions.PAGE_LENGTH_BYTES));
            for (int i = 0; i < LENGTH_BYTES; i++)
            {
                source.putByte(i, (byte)i);
            }
        }

        int nextOffset()
        {
            final int offset = nextOffset;
            nextOffset = (offset + LENGTH_BYTES) & (TrackingRegions.REGION_LENGTH_BYTES - 1);
            return offset;
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
         * Allocates the region and marks every line dirty.
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
     * Subject: copy 4 KiB into the next page of the tracked region.
     *
     * @param region the tracked region.
     * @param source the source and the next page.
     */
    @Benchmark
    public void trackedBufferPutBytes(final TrackedRegion region, final Source source)
    {
        region.buffer.putBytes(source.nextOffset(), source.source, 0, LENGTH_BYTES);
    }

    /**
     * Baseline: copy 4 KiB into the next page of the raw region.
     *
     * @param region the raw region.
     * @param source the source and the next page.
     */
    @Benchmark
    public void unsafeBufferPutBytes(final RawRegion region, final Source source)
    {
        region.buffer.putBytes(source.nextOffset(), source.source, 0, LENGTH_BYTES);
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(TrackedBufferPutBytesLatencyBenchmark.class, args);
    }
}
