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
 * Metric P4-read-4k: one-sided 4 KiB READs per second from a region owned by another process (blocking
 * {@code QueuePair.read}: post, then poll the completion), against in-process {@code UnsafeBuffer.getBytes} of 4 KiB
 * from the same kind of memory. Both copy from offset 0 of the region into the same page-aligned local buffer.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
public class OneSidedReadThroughputBenchmark
{
    static final int LENGTH_BYTES = 4096;

    /**
     * Subject: READ 4 KiB from the peer process's region.
     *
     * @param state the attached remote region.
     */
    @Benchmark
    public void farlineRead(final ChildRegionState state)
    {
        state.queuePair.read(state.local, 0, LENGTH_BYTES, state.remote, 0);
    }

    /**
     * Baseline: copy 4 KiB out of an in-process region.
     *
     * @param state the local region.
     */
    @Benchmark
    public void unsafeBufferGetBytes(final LocalRegionState state)
    {
        state.region.getBytes(0, state.local, 0, LENGTH_BYTES);
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(OneSidedReadThroughputBenchmark.class, args);
    }
}
