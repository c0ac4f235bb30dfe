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
 * Metric P11-miss-latency: the time to serve an access that misses the local cache, from a page on a memory host (a
 * child JVM of the suite's {@link FarMemoryCluster}), as the p50 of JMH's samples, µs.
 * <p>
 * Every access misses, by construction and checked: the far memory has {@link #ADDRESS_SPACE_BYTES} over a cache of
 * {@link #LOCAL_CACHE_BYTES} (a sixteenth), prefetching is off, and the accesses visit every page once per cycle in
 * one random order ({@link FarMemoryWorkloads#missCycle}), so each page was evicted long before its next visit (the
 * clock sends a page touched once home at its next pass). An iteration in which an access hit fails the benchmark.
 * Reads only, so no eviction writes anything back.
 * <p>
 * {@code lineFirstMiss}: {@code getLong} at the start of a random line of the page; the far memory READs the missed
 * line first and serves the access when it arrives, the rest of the page following. {@code wholePageMiss}:
 * {@code getBytes} of the whole page (the access needs every line, so the far memory READs the page in one piece and
 * serves it when all of it has arrived), including the copy of 4 KiB out; it stands for a page-granular fetch.
 * <p>
 * {@code link}: {@code off}, no link model (the data of a READ moves at post time, so the line-first order cannot
 * help); {@code on}, the compute node's {@link LinkModel} is {@link #LINK_MODEL}: {@value #LINK_LATENCY_NS} ns one-way
 * latency, so a READ completes a 2 µs round trip after its transfer, and 12.5 GB/s (100 Gb/s), so a line takes 5 ns
 * on the link and the rest of a page 323 ns.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.FARMEMORY_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.FARMEMORY_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
@State(Scope.Thread)
public class FarMemoryMissLatencyBenchmark
{
    /** Address space: 16,384 pages, more than the CPU caches hold. */
    static final long ADDRESS_SPACE_BYTES = 64L << 20;
    /** Local cache: 1,024 frames. */
    static final long LOCAL_CACHE_BYTES = 4L << 20;
    /** {@code link} without a link model. */
    static final String LINK_OFF = "off";
    /** {@code link} with {@link #LINK_MODEL}. */
    static final String LINK_ON = "on";
    /** One-way latency of the link model: a READ's round trip is twice this. */
    static final long LINK_LATENCY_NS = 1_000;
    /** Bandwidth of the link model: 100 Gb/s. */
    static final long LINK_BANDWIDTH_BYTES_PER_SECOND = 12_500_000_000L;
    /** The link model of {@code link=on}: an RDMA READ round trip of 2 µs at 100 Gb/s. */
    static final LinkModel LINK_MODEL = new LinkModel(LINK_LATENCY_NS, LINK_BANDWIDTH_BYTES_PER_SECOND);

    private static final int PAGE_SIZE_BYTES = FarMemoryWorkloads.PAGE_SIZE_BYTES;

    /** Whether the compute node's link model is on. */
    @Param({ LINK_OFF, LINK_ON })
    public String link;

    private final byte[] page = new byte[PAGE_SIZE_BYTES];
    private FarMemoryTrial trial;
    private FarMemory memory;
    private long[] cycle;
    private int next;
    private long accessesBefore;
    private long missesBefore;

    /**
     * Opens the far memory on the suite's cluster and draws the page order.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final LinkModel linkModel;
        switch (link)
        {
            case LINK_OFF:
                linkModel = LinkModel.NONE;
                break;
            case LINK_ON:
                linkModel = LINK_MODEL;
                break;
            default:
                throw new IllegalArgumentException("link '" + link + "': use " + LINK_OFF + " or " + LINK_ON);
        }
        trial = FarMemoryTrial.start(linkModel);
        memory = trial.open(FarMemoryTrial.config(ADDRESS_SPACE_BYTES, LOCAL_CACHE_BYTES)
            .prefetchDepth(0).writeBackIntervalMs(0));
        cycle = FarMemoryWorkloads.missCycle((int)(ADDRESS_SPACE_BYTES / PAGE_SIZE_BYTES), FarMemoryWorkloads.SEED);
    }

    /**
     * Notes the counters, for the check at the end of the iteration.
     */
    @Setup(Level.Iteration)
    public void noteCounters()
    {
        accessesBefore = memory.accesses();
        missesBefore = memory.misses();
    }

    /**
     * Fails the iteration if any of its accesses did not miss.
     */
    @TearDown(Level.Iteration)
    public void checkEveryAccessMissed()
    {
        final long accesses = memory.accesses() - accessesBefore;
        final long misses = memory.misses() - missesBefore;
        if (accesses != misses || accesses == 0)
        {
            throw new IllegalStateException("an iteration of " + accesses + " accesses had " + misses +
                " misses: the access pattern no longer defeats the cache, so the samples are not all misses");
        }
    }

    /**
     * Closes the far memory, returning its chunks.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.close(trial);
    }

    /**
     * A miss served line first.
     *
     * @return the long read.
     */
    @Benchmark
    public long lineFirstMiss()
    {
        return memory.getLong(nextAddress());
    }

    /**
     * A miss that needs the whole page.
     *
     * @return a byte of the page read.
     */
    @Benchmark
    public byte wholePageMiss()
    {
        final long address = nextAddress();
        memory.getBytes(address & -PAGE_SIZE_BYTES, page, 0, PAGE_SIZE_BYTES);
        return page[(int)address & (PAGE_SIZE_BYTES - 1)];
    }

    private long nextAddress()
    {
        final int i = next;
        next = i + 1 == cycle.length ? 0 : i + 1;
        return cycle[i];
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(FarMemoryMissLatencyBenchmark.class, args);
    }
}
