package io.farline.bench;

import io.farline.core.pagetable.PageTable;
import io.farline.core.pagetable.PageTableEntryDescriptor;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Metric P12-replica-bytes, and replica update time against copying the whole table. Both sides update
 * {@link #BATCH} random entries of a page table of {@link #PAGES} pages (8 MiB) with {@link #REPLICAS} replicas,
 * through the table's compare-and-set; then the subject brings the replicas up to date with {@code sync()}, which
 * copies only the master's dirty lines, and the baseline copies the whole master into {@link #REPLICAS} buffers of the
 * same size. Time per update, ns.
 * <p>
 * The subject also counts, in auxiliary counters, the entries it updated and the master lines (64 bytes) it copied
 * into each replica: their ratio is bytes copied per replica per update ÷ 64.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.TRACKING_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.TRACKING_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
public class PageTableReplicatorSyncLatencyBenchmark
{
    /** Pages in the table: 8 MiB of entries. */
    static final int PAGES = 1 << 20;
    /** Replicas, one per socket. */
    static final int REPLICAS = 2;
    /** Entry updates per invocation. */
    static final int BATCH = 1024;
    /** Name of the counter of master lines copied into each replica. */
    static final String REPLICA_LINES_COUNTER = "replicaLines";
    /** Name of the counter of entries updated. */
    static final String UPDATES_COUNTER = "updates";

    /**
     * The table and the random pages to update, shared by both sides' set-up.
     */
    @State(Scope.Thread)
    public static class Table
    {
        PageTable table;
        int[] pages;
        long[] entries;
        int next;

        /**
         * Makes the table and draws the pages and entries.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            table = PageTable.allocate(PAGES, REPLICAS);
            final SplittableRandom random = new SplittableRandom(TrackingRegions.SEED);
            pages = new int[1 << 16];
            entries = new long[pages.length];
            for (int i = 0; i < pages.length; i++)
            {
                pages[i] = random.nextInt(PAGES);
                entries[i] = PageTableEntryDescriptor.localEntry(random.nextLong(1L << 40),
                    PageTableEntryDescriptor.PTE_PRESENT | PageTableEntryDescriptor.PTE_WRITABLE);
            }
            table.sync();
        }

        /**
         * Releases the table.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            CloseHelper.quietClose(table);
        }

        void updateBatch()
        {
            final PageTable table = this.table;
            int i = next;
            for (int n = 0; n < BATCH; n++, i = (i + 1) & (pages.length - 1))
            {
                final int page = pages[i];
                table.compareAndSetEntry(page, table.entryVolatile(page), entries[i] ^ n);
            }
            next = i;
        }
    }

    /**
     * The baseline's replicas: plain buffers the size of the master.
     */
    @State(Scope.Thread)
    public static class WholeCopies
    {
        UnsafeBuffer[] replicas;

        /**
         * Allocates them.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            replicas = new UnsafeBuffer[REPLICAS];
            for (int r = 0; r < REPLICAS; r++)
            {
                replicas[r] = new UnsafeBuffer(BufferUtil.allocateDirectAligned(PAGES * Long.BYTES, 64));
            }
        }
    }

    /**
     * Entries updated and lines copied per replica, for P12.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Copied
    {
        /** Entries updated. */
        public long updates;
        /** Master lines copied into each replica. */
        public long replicaLines;

        /**
         * Counters restart each iteration.
         */
        @Setup(Level.Iteration)
        public void reset()
        {
            updates = 0;
            replicaLines = 0;
        }
    }

    /**
     * Subject: the batch of updates, then {@code sync()}, which copies only the dirty lines.
     *
     * @param table  the table.
     * @param copied the counters.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void replicatedSync(final Table table, final Copied copied)
    {
        final long before = table.table.replicator().linesCopiedPerReplica();
        table.updateBatch();
        table.table.sync();
        copied.updates += BATCH;
        copied.replicaLines += table.table.replicator().linesCopiedPerReplica() - before;
    }

    /**
     * Baseline: the same batch of updates, then a copy of the whole master into each replica buffer.
     *
     * @param table  the table.
     * @param copies the replica buffers.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void wholeTableCopy(final Table table, final WholeCopies copies)
    {
        table.updateBatch();
        final UnsafeBuffer master = table.table.master().buffer();
        for (final UnsafeBuffer replica : copies.replicas)
        {
            replica.putBytes(0, master, 0, PAGES * Long.BYTES);
        }
    }

    /**
     * Runs this class's benchmarks alone.
     *
     * @param args runner options.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(PageTableReplicatorSyncLatencyBenchmark.class, args);
    }
}
