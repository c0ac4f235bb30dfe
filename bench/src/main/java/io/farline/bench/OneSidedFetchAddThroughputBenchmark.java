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
 * Metric P6-fetch-add (for the record): one-sided FETCH_AND_ADDs per second on a word of a region owned by another
 * process (blocking {@code QueuePair.fetchAndAdd}), against in-process {@code UnsafeBuffer.getAndAddLong} on a word of
 * the same kind of memory. Uncontended: nobody else touches the word.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
public class OneSidedFetchAddThroughputBenchmark
{
    /**
     * Subject: FETCH_AND_ADD on the peer process's region.
     *
     * @param state the attached remote region.
     * @return the word's previous value.
     */
    @Benchmark
    public long farlineFetchAndAdd(final ChildRegionState state)
    {
        return state.queuePair.fetchAndAdd(state.remote, 0, 1);
    }

    /**
     * Baseline: atomic add on an in-process region.
     *
     * @param state the local region.
     * @return the word's previous value.
     */
    @Benchmark
    public long unsafeBufferGetAndAddLong(final LocalRegionState state)
    {
        return state.region.getAndAddLong(0, 1);
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(OneSidedFetchAddThroughputBenchmark.class, args);
    }
}
