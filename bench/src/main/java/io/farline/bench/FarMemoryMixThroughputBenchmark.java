package io.farline.bench;

import io.farline.core.far.FarMemory;
import io.farline.transport.LinkModel;
import org.agrona.CloseHelper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Metrics farmemory-mix-1x, -2x and -8x: throughput of a random 50/50 mix of {@code getLong} and {@code putLong} at
 * 8-byte-aligned addresses over a working set (the whole address space) of 1, 2 and 8 times the local cache of
 * {@link #LOCAL_CACHE_BYTES}, ops/s. The far memory runs with its defaults otherwise: periodic write-back of dirty
 * lines every 10 ms, prefetching up to 8 pages ahead, no link model. Operations come in batches of {@link #BATCH}
 * from one seeded array of {@link #OPERATION_COUNT} per working set. At 1x every page stays resident once touched
 * (the warm-up iterations bring them all in), so the figure is that of the hit path and the write-backs; at 8x about
 * 7 accesses in 8 miss.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.FARMEMORY_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.FARMEMORY_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
@State(Scope.Thread)
public class FarMemoryMixThroughputBenchmark
{
    /** Local cache: 4,096 frames. */
    static final long LOCAL_CACHE_BYTES = 16L << 20;
    /** Operations per invocation. */
    static final int BATCH = 256;
    /** Operations in the seeded array (8 MiB of longs), a multiple of {@link #BATCH}. */
    static final int OPERATION_COUNT = 1 << 20;

    /** The working set (and address space) as a multiple of the local cache. */
    @Param({ "1", "2", "8" })
    public int workingSetMultiple;

    private FarMemoryTrial trial;
    private FarMemory memory;
    private long[] operations;
    private int next;

    /**
     * Opens the far memory on the suite's cluster and draws the operations.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        if (workingSetMultiple < 1)
        {
            throw new IllegalArgumentException("workingSetMultiple " + workingSetMultiple + " is below 1");
        }
        final long workingSetBytes = LOCAL_CACHE_BYTES * workingSetMultiple;
        trial = FarMemoryTrial.start(LinkModel.NONE);
        memory = trial.open(FarMemoryTrial.config(workingSetBytes, LOCAL_CACHE_BYTES));
        operations = FarMemoryWorkloads.readWriteMix(OPERATION_COUNT, workingSetBytes,
            FarMemoryWorkloads.SEED + workingSetMultiple);
    }

    /**
     * Prints the far memory's hit rate, for the log, and closes it, returning its chunks.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (null != memory)
        {
            System.out.println(String.format(Locale.ROOT, "far memory %dx: %d accesses, local hit rate %.4f, " +
                "%d evictions, %d bytes written back", workingSetMultiple, memory.accesses(), memory.localHitRate(),
                memory.evictions(), memory.bytesWrittenBack()));
        }
        CloseHelper.close(trial);
    }

    /**
     * {@link #BATCH} operations of the mix.
     *
     * @return the sum of the longs read.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long readWriteMix()
    {
        final FarMemory memory = this.memory;
        final long[] operations = this.operations;
        final int first = next;
        next = (first + BATCH) & (OPERATION_COUNT - 1);
        long sum = 0;
        for (int i = first, end = first + BATCH; i < end; i++)
        {
            final long operation = operations[i];
            if ((operation & FarMemoryWorkloads.WRITE_FLAG) != 0)
            {
                memory.putLong(operation & ~FarMemoryWorkloads.WRITE_FLAG, i);
            }
            else
            {
                sum += memory.getLong(operation);
            }
        }
        return sum;
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(FarMemoryMixThroughputBenchmark.class, args);
    }
}
