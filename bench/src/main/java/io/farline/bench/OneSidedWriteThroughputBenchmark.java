package io.farline.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Metric P4-write-4k: one-sided 4 KiB WRITEs per second into a region owned by another process (blocking
 * {@code QueuePair.write}: post, then poll the completion), against in-process {@code UnsafeBuffer.putBytes} of 4 KiB
 * into the same kind of memory. Both copy from the same page-aligned local buffer to offset 0 of the region.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
public class OneSidedWriteThroughputBenchmark
{
    static final int LENGTH_BYTES = 4096;

    /**
     * Subject: WRITE 4 KiB into the peer process's region.
     *
     * @param state the attached remote region.
     */
    @Benchmark
    public void farlineWrite(final ChildRegionState state)
    {
        state.queuePair.write(state.local, 0, LENGTH_BYTES, state.remote, 0);
    }

    /**
     * Baseline: copy 4 KiB into an in-process region.
     *
     * @param state the local region.
     */
    @Benchmark
    public void unsafeBufferPutBytes(final LocalRegionState state)
    {
        state.region.putBytes(0, state.local, 0, LENGTH_BYTES);
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(OneSidedWriteThroughputBenchmark.class, args);
    }
}
