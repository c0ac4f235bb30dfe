package io.farline.bench;

import io.farline.core.far.FarMemory;
import io.farline.core.far.FarMemoryConfig;
import io.farline.core.far.prefetch.Prefetcher;
import io.farline.transport.LinkModel;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The count step of the farmemory suite, run by the runner in a child JVM (a compute node of the suite's
 * {@link FarMemoryCluster}, whose fabric {@value FarMemoryCluster#FABRIC_PROPERTY} names): seeded workloads on far
 * memory, each printing {@code FarMemory}'s counters as one {@link FarMemoryCounts} line, then {@link #DONE}.
 * <p>
 * Each workload opens its own far memory of {@link #ADDRESS_SPACE_BYTES} with a local cache of
 * {@link #LOCAL_CACHE_BYTES} (an eighth), warms it up, flushes, and counts over the measured operations and a final
 * flush. Write-back is driven by the operations, not by a timer: the periodic write-back is off
 * ({@code writeBackIntervalMs(0)}) and the workload calls {@code flush()} every {@link #FLUSH_PERIOD_OPERATIONS}
 * operations (besides the write-backs of evicted pages), so the counts depend on the seed alone and every run gives
 * the same ones. The random and YCSB workloads miss often, so the period is 15 to 40 ms, a few times FarMemory's
 * default {@code writeBackIntervalMs} (10 ms).
 * <p>
 * Workloads ({@link #WORKLOADS}):
 * <ul>
 *     <li>{@value #RANDOM_UPDATES}: random updates, half {@code putLong} at an 8-byte-aligned address, half
 *     {@code putBytes} of 1 to 256 bytes at any address (crossing lines and pages);</li>
 *     <li>{@value #RANDOM_LONGS}: {@code putLong} at random 8-byte-aligned addresses;</li>
 *     <li>{@value #YCSB_A}: {@link YcsbWorkload}, 100-byte values, zipfian keys, half reads, half updates;</li>
 *     <li>{@value #SEQUENTIAL}: {@code putLong} to every 8 bytes of the address space in order;</li>
 *     <li>{@value #STRIDED_SCAN}: {@code getLong} at the start of every {@link #SCAN_STRIDE_PAGES}rd page, with the
 *     prefetcher at its default depth.</li>
 * </ul>
 */
public final class FarMemoryCountsMain
{
    /** The name of the step, for {@code --include}. */
    static final String STEP_NAME = FarMemoryCountsMain.class.getName() + ".counts";
    /** The line printed when every workload is done. */
    static final String DONE = "DONE";

    static final String RANDOM_UPDATES = "random-updates";
    static final String RANDOM_LONGS = "random-8b";
    static final String YCSB_A = "ycsb-a";
    static final String SEQUENTIAL = "sequential";
    static final String STRIDED_SCAN = "strided-scan";
    /** Every workload, in run order. */
    static final List<String> WORKLOADS = List.of(RANDOM_UPDATES, RANDOM_LONGS, YCSB_A, SEQUENTIAL, STRIDED_SCAN);

    /** Address space of every workload: 16,384 pages. */
    static final long ADDRESS_SPACE_BYTES = 64L << 20;
    /** Local cache of every workload: an eighth of the address space. */
    static final long LOCAL_CACHE_BYTES = 8L << 20;
    /** Operations between two write-backs of every dirty line. */
    static final int FLUSH_PERIOD_OPERATIONS = 16_384;
    /** Operations before the counted ones, so that the cache is full and the counts are those of a steady state. */
    static final int WARM_UP_OPERATIONS = 100_000;
    /** Operations counted by the random and YCSB workloads. */
    static final int MEASURED_OPERATIONS = 400_000;
    /** Longest update of {@value #RANDOM_UPDATES}. */
    static final int MAX_UPDATE_LENGTH_BYTES = 256;
    /** Stride of {@value #STRIDED_SCAN}, in pages. */
    static final int SCAN_STRIDE_PAGES = 3;

    private FarMemoryCountsMain()
    {
    }

    /**
     * Runs every workload, or those named.
     *
     * @param args workload names; none for all.
     */
    public static void main(final String[] args)
    {
        FarlineChildMain.exitWhenParentDies();
        int status = 0;
        try (FarMemoryTrial trial = FarMemoryTrial.start(LinkModel.NONE))
        {
            for (final String workload : args.length == 0 ? WORKLOADS : List.of(args))
            {
                System.out.println(run(trial, workload).format());
                System.out.flush();
            }
            System.out.println(DONE);
        }
        catch (final RuntimeException | Error ex)
        {
            ex.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs one workload on a far memory of its own, closed (its chunks returned) before this returns.
     */
    static FarMemoryCounts run(final FarMemoryTrial trial, final String workload)
    {
        final FarMemoryConfig config = FarMemoryTrial.config(ADDRESS_SPACE_BYTES, LOCAL_CACHE_BYTES)
            .writeBackIntervalMs(0);
        try (FarMemory memory = trial.open(config))
        {
            final Workload steps = workload(workload);
            steps.run(memory, WARM_UP_OPERATIONS, true);
            memory.flush();
            final long accesses = memory.accesses();
            final long misses = memory.misses();
            final long evictions = memory.evictions();
            final long dirty = memory.dirtyBytes();
            final long written = memory.bytesWrittenBack();
            final long pages = memory.pageGranularBytes();
            final Prefetcher prefetcher = memory.prefetcher();
            final long used = null == prefetcher ? 0 : prefetcher.usedCount();
            final long wasted = null == prefetcher ? 0 : prefetcher.wastedCount();
            final long startNs = System.nanoTime();
            final long operations = steps.run(memory, MEASURED_OPERATIONS, false);
            memory.flush();
            final long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
            return new FarMemoryCounts(workload, operations, memory.accesses() - accesses, memory.misses() - misses,
                memory.evictions() - evictions, memory.dirtyBytes() - dirty, memory.bytesWrittenBack() - written,
                memory.pageGranularBytes() - pages,
                null == prefetcher ? 0 : prefetcher.usedCount() - used,
                null == prefetcher ? 0 : prefetcher.wastedCount() - wasted,
                null == prefetcher ? 0 : prefetcher.hitRate(), elapsedMs);
        }
    }

    /**
     * A workload: runs a number of operations (or, for the one-pass workloads, its pass) on a far memory.
     */
    @FunctionalInterface
    private interface Workload
    {
        /**
         * @param memory     the far memory.
         * @param operations how many, for the workloads that repeat.
         * @param warmUp     true for the warm-up, which the one-pass workloads skip.
         * @return operations run.
         */
        long run(FarMemory memory, int operations, boolean warmUp);
    }

    private static Workload workload(final String name)
    {
        switch (name)
        {
            case RANDOM_UPDATES:
                return randomUpdates();
            case RANDOM_LONGS:
                return randomLongs();
            case YCSB_A:
                return ycsbA();
            case SEQUENTIAL:
                return (memory, operations, warmUp) -> warmUp ? 0 : sequential(memory);
            case STRIDED_SCAN:
                return (memory, operations, warmUp) -> warmUp ? 0 : stridedScan(memory);
            default:
                throw new IllegalArgumentException("unknown workload '" + name + "': use one of " + WORKLOADS);
        }
    }

    private static Workload randomUpdates()
    {
        final SplittableRandom random = new SplittableRandom(FarMemoryWorkloads.SEED);
        final byte[] bytes = new byte[MAX_UPDATE_LENGTH_BYTES];
        return (memory, operations, warmUp) ->
        {
            for (int op = 1; op <= operations; op++)
            {
                if (random.nextBoolean())
                {
                    memory.putLong(random.nextLong(ADDRESS_SPACE_BYTES / Long.BYTES) * Long.BYTES, op);
                }
                else
                {
                    final int length = random.nextInt(1, MAX_UPDATE_LENGTH_BYTES + 1);
                    random.nextBytes(bytes);
                    memory.putBytes(random.nextLong(ADDRESS_SPACE_BYTES - length + 1), bytes, 0, length);
                }
                flushPeriodically(memory, op);
            }
            return operations;
        };
    }

    private static Workload randomLongs()
    {
        final SplittableRandom random = new SplittableRandom(FarMemoryWorkloads.SEED + 1);
        return (memory, operations, warmUp) ->
        {
            for (int op = 1; op <= operations; op++)
            {
                memory.putLong(random.nextLong(ADDRESS_SPACE_BYTES / Long.BYTES) * Long.BYTES, op);
                flushPeriodically(memory, op);
            }
            return operations;
        };
    }

    private static Workload ycsbA()
    {
        final YcsbWorkload ycsb = new YcsbWorkload(ADDRESS_SPACE_BYTES, FarMemoryWorkloads.SEED + 2);
        final byte[] value = new byte[YcsbWorkload.VALUE_LENGTH_BYTES];
        return (memory, operations, warmUp) ->
        {
            for (int op = 1; op <= operations; op++)
            {
                final long operation = ycsb.next();
                if (YcsbWorkload.isUpdate(operation))
                {
                    value[op % value.length]++;
                    memory.putBytes(YcsbWorkload.address(operation), value, 0, value.length);
                }
                else
                {
                    memory.getBytes(YcsbWorkload.address(operation), value, 0, value.length);
                }
                flushPeriodically(memory, op);
            }
            return operations;
        };
    }

    private static long sequential(final FarMemory memory)
    {
        long op = 0;
        for (long address = 0; address < ADDRESS_SPACE_BYTES; address += Long.BYTES)
        {
            memory.putLong(address, address);
            flushPeriodically(memory, ++op);
        }
        return op;
    }

    private static long stridedScan(final FarMemory memory)
    {
        long op = 0;
        final long strideBytes = (long)SCAN_STRIDE_PAGES * FarMemoryWorkloads.PAGE_SIZE_BYTES;
        for (long address = 0; address < ADDRESS_SPACE_BYTES; address += strideBytes)
        {
            memory.getLong(address); // counted by the far memory, so never dropped
            op++;
        }
        return op;
    }

    private static void flushPeriodically(final FarMemory memory, final long op)
    {
        if (op % FLUSH_PERIOD_OPERATIONS == 0)
        {
            memory.flush();
        }
    }
}
