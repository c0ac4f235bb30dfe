package io.farline.bench;

import io.farline.core.tracking.TrackedBuffer;
import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
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
 * a test of its bitmap word, never an atomic). Baseline: {@code UnsafeBuffer.putLong} at the same offsets. Both take
 * their offsets from one seeded array of {@link #OFFSET_COUNT}; time per store, ns.
 * <p>
 * The metric comes from {@link #pairedPutLong}: both sides in one fork and into the same memory (the tracked buffer and
 * its untracked view), in alternating batches of {@link #PAIRED_BATCH} stores, each batch timed with
 * {@code System.nanoTime()} (tens of nanoseconds against tens of microseconds of stores), see {@link PairedTimes}. Run
 * apart, each side on a 64 MiB allocation of its own, the ratio moved from 1.034 to 1.07 between days with no change of
 * code, as two allocations differ by their physical pages. The two unpaired methods remain for the record
 * ({@link #BATCH} stores per invocation, in forks of their own).
 * <p>
 * Two more paired methods measure the floor of this fast path: raw stores each followed by one plain load of its
 * line's word from a bitmap of the region's size with every bit set, and a test of the bit ({@link #pairedLoadFloor},
 * against raw stores; {@link #pairedAgainstLoadFloor}, against tracked stores). That is the least the fast path
 * ("a plain store plus one load and a test") can cost, with none of the library's code around it.
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
    /** Stores per invocation of an unpaired method: enough to make JMH's per-invocation cost negligible. */
    static final int BATCH = 1024;
    /**
     * Stores per side in one paired batch: about 40 microseconds of stores at 10 ns each, so the time stamps around it
     * (20 to 30 ns each) weigh about 0.1%.
     */
    static final int PAIRED_BATCH = 4096;
    /**
     * Offsets in the shared array (4 MiB of ints), a multiple of {@link #BATCH} and {@link #PAIRED_BATCH}: about 1 M
     * distinct lines.
     */
    static final int OFFSET_COUNT = 1 << 20;
    /**
     * How far the raw side of the paired method trails the tracked side in the offsets: half the array. Between the
     * two stores to an offset the sides store 1 Mi times across the region, to more lines than this machine's 32 MiB
     * last-level cache holds, so both miss as a side alone does. Storing to the offsets the other side has just stored
     * to would find their lines in the caches (a batch's 256 KiB of lines fits in L2): tried so, the second side of
     * each pair hit, and the time per store fell from about 9 ns to 6 ns on both sides.
     */
    static final int PAIRED_LAG = OFFSET_COUNT / 2;

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

        int nextBatch(final int count)
        {
            final int first = nextBatch;
            nextBatch = (first + count) & (OFFSET_COUNT - 1);
            return first;
        }
    }

    /**
     * The paired method's state: the two sides' buffers over one dirty region, the offsets, and where the next tracked
     * batch starts in them.
     */
    @State(Scope.Thread)
    public static class PairedBatches implements PairedTimes.Sides
    {
        TrackedBuffer tracked;
        UnsafeBuffer raw;
        Offsets cursor;
        int[] offsets;
        int trackedStart;
        /**
         * The load floor's bitmap: one bit per line of the region, as the tracked region's, every bit set, in memory
         * of its own (so the floor's loads never share a line with the tracked side's).
         */
        UnsafeBuffer floorBitmap;
        long floorBitmapAddress;
        /** The sides of {@link #pairedLoadFloor}: raw stores each with a load and a test, against raw stores. */
        final PairedTimes.Sides loadFloorAgainstRaw = new PairedTimes.Sides()
        {
            @Override
            public void trackedBatch()
            {
                storeThenTest(raw, floorBitmapAddress, offsets, trackedStart, PAIRED_BATCH);
            }

            @Override
            public void rawBatch()
            {
                PairedBatches.this.rawBatch();
            }
        };
        /** The sides of {@link #pairedAgainstLoadFloor}: tracked stores against raw stores with a load and a test. */
        final PairedTimes.Sides trackedAgainstLoadFloor = new PairedTimes.Sides()
        {
            @Override
            public void trackedBatch()
            {
                PairedBatches.this.trackedBatch();
            }

            @Override
            public void rawBatch()
            {
                storeThenTest(raw, floorBitmapAddress, offsets, laggedStart(), PAIRED_BATCH);
            }
        };

        /**
         * Takes the region's tracked buffer and untracked view, and the offsets.
         *
         * @param region  the tracked region, every line dirty.
         * @param offsets the offsets.
         */
        @Setup(Level.Trial)
        public void setUp(final DirtyTrackedRegion region, final Offsets offsets)
        {
            tracked = region.buffer;
            raw = region.untracked;
            this.cursor = offsets;
            this.offsets = offsets.offsets;
            floorBitmap = new UnsafeBuffer(BufferUtil.allocateDirectAligned(TrackingRegions.LINE_COUNT / 8, 64));
            floorBitmap.setMemory(0, floorBitmap.capacity(), (byte)0xFF);
            floorBitmapAddress = floorBitmap.addressOffset();
        }

        /**
         * Checks that the floor's bitmap is still all set: that its loads all took the dirty branch, as the tracked
         * side's do.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            for (int index = 0; index < floorBitmap.capacity(); index += Long.BYTES)
            {
                if (floorBitmap.getLong(index) != -1L)
                {
                    throw new IllegalStateException("the load floor's bitmap lost a bit at byte " + index);
                }
            }
        }

        /**
         * {@link #PAIRED_BATCH} tracked stores, from {@link #trackedStart} on.
         */
        @Override
        public void trackedBatch()
        {
            store(tracked, offsets, trackedStart, PAIRED_BATCH);
        }

        /**
         * {@link #PAIRED_BATCH} raw stores, {@link #PAIRED_LAG} offsets behind the tracked batch.
         */
        @Override
        public void rawBatch()
        {
            store(raw, offsets, laggedStart(), PAIRED_BATCH);
        }

        int laggedStart()
        {
            return (trackedStart + PAIRED_LAG) & (OFFSET_COUNT - 1);
        }

        void nextBatch()
        {
            trackedStart = cursor.nextBatch(PAIRED_BATCH);
        }
    }

    /**
     * Both sides in one fork and into the same memory: a batch of tracked stores and a batch of raw stores through the
     * untracked view, each timed, in alternating order ({@link PairedTimes#timeBatches}). Over a pass of the offsets
     * both sides store to every offset once, each to lines the other side stored to half a pass before (see
     * {@link #PAIRED_LAG}), so both miss the caches alike.
     *
     * @param batches the two sides over one region, and the offsets.
     * @param times   the counters.
     */
    @Benchmark
    @OperationsPerInvocation(2 * PAIRED_BATCH)
    public void pairedPutLong(final PairedBatches batches, final PairedTimes times)
    {
        batches.nextBatch();
        times.timeBatches(batches);
    }

    /**
     * The floor of the dirty fast path, paired as {@link #pairedPutLong} is: raw stores each followed by a plain load
     * of its line's word from a bitmap of its own with every bit set, and a test of the bit (the "tracked" side),
     * against raw stores. The load misses L1 as the tracked side's does: the 128 KiB bitmap of 64 MiB of lines is four
     * times this machine's L1d, and random stores keep evicting it. A ratio above {@code P1-put-dirty}'s goal here
     * says that no design with one bit per line and "one load and a test" per store meets the goal on this machine.
     *
     * @param batches the region's untracked view, the floor's bitmap and the offsets.
     * @param times   the counters: {@code trackedNs} holds the floor's time.
     */
    @Benchmark
    @OperationsPerInvocation(2 * PAIRED_BATCH)
    public void pairedLoadFloor(final PairedBatches batches, final PairedTimes times)
    {
        batches.nextBatch();
        times.timeBatches(batches.loadFloorAgainstRaw);
    }

    /**
     * Tracked stores against the floor of {@link #pairedLoadFloor}, paired as {@link #pairedPutLong} is: a ratio near
     * 1 says the tracked store costs what its load and test cost, whatever the code around them.
     *
     * @param batches the tracked buffer, the region's untracked view, the floor's bitmap and the offsets.
     * @param times   the counters: {@code rawNs} holds the floor's time.
     */
    @Benchmark
    @OperationsPerInvocation(2 * PAIRED_BATCH)
    public void pairedAgainstLoadFloor(final PairedBatches batches, final PairedTimes times)
    {
        batches.nextBatch();
        times.timeBatches(batches.trackedAgainstLoadFloor);
    }

    /**
     * Subject: {@link #BATCH} tracked stores to lines that are already dirty.
     *
     * @param region  the tracked region.
     * @param offsets the offsets.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void trackedBufferPutLong(final DirtyTrackedRegion region, final Offsets offsets)
    {
        store(region.buffer, offsets.offsets, offsets.nextBatch(BATCH), BATCH);
    }

    /**
     * Baseline: {@link #BATCH} raw stores at the same offsets.
     *
     * @param region  the raw region.
     * @param offsets the offsets.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void unsafeBufferPutLong(final RawTrackingRegion region, final Offsets offsets)
    {
        store(region.buffer, offsets.offsets, offsets.nextBatch(BATCH), BATCH);
    }

    /*
     * The store loop, twice with the same body, so that each call site sees one class: a TrackedBuffer call binds
     * statically (the class is final), and an UnsafeBuffer call only ever meets plain UnsafeBuffers, so where the
     * paired fork has loaded TrackedBuffer the JIT's type guard is loop-invariant, not a branch per store.
     */

    private static void store(final TrackedBuffer buffer, final int[] at, final int first, final int count)
    {
        for (int i = first, end = first + count; i < end; i++)
        {
            buffer.putLong(at[i], i);
        }
    }

    private static void store(final UnsafeBuffer buffer, final int[] at, final int first, final int count)
    {
        for (int i = first, end = first + count; i < end; i++)
        {
            buffer.putLong(at[i], i);
        }
    }

    /**
     * The fast path with nothing around it: the store, then the load of its line's word and the test, in the order a
     * tracked store takes them. The set branch is never taken (every bit is set) but stays, as the tracked path's.
     */
    private static void storeThenTest(
        final UnsafeBuffer buffer, final long bitmapAddress, final int[] at, final int first, final int count)
    {
        for (int i = first, end = first + count; i < end; i++)
        {
            final int offset = at[i];
            buffer.putLong(offset, i);
            final int line = offset >>> TrackingRegions.LINE_SHIFT;
            final long address = bitmapAddress + ((long)(line >>> 6) << 3);
            final long word = UnsafeApi.getLong(null, address);
            if ((word & (1L << line)) == 0)
            {
                UnsafeApi.putLong(null, address, word | (1L << line));
            }
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
