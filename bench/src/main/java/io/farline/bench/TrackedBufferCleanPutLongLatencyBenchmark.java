package io.farline.bench;

import io.farline.core.tracking.DirtyBitmap;
import io.farline.core.tracking.TrackedBuffer;
import io.farline.core.tracking.TrackedMemory;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
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

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * Metric P2-put-clean: the first tracked store to a line in an epoch, the clean-to-dirty transition (an atomic OR on
 * the line's bitmap word). Subject: {@code TrackedBuffer.putLong} to the first long of each of {@link #BATCH} distinct
 * lines of a 64 MiB tracked region whose every line is clean. Baseline: {@code UnsafeBuffer.putLong} to the same lines.
 * The lines come from one seeded random permutation of all lines, a batch of {@link #BATCH} at a time; time per store,
 * ns.
 * <p>
 * Before each invocation, outside the timing ({@code Level.Invocation}), the tracked state's set-up clears the bitmap
 * words the previous batch set (swapping them to zero, as a drain does), so every line of the next batch is clean.
 * <p>
 * The metric comes from {@link #pairedPutLong}: both sides in one fork and into the same memory (the tracked buffer and
 * its untracked view), a batch of each per invocation, each batch timed with {@code System.nanoTime()} and the tracked
 * one first every other time, see {@link PairedTimes}. The clearing stays outside both sides' timing. The two unpaired
 * methods remain for the record: each in forks of its own, on a 64 MiB allocation of its own, timed by JMH per
 * invocation; the baseline's set-up only moves to the next batch, so both are timed per invocation alike. A batch takes
 * tens of microseconds, so the time stamps weigh well under 1% either way.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.TRACKING_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.TRACKING_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
public class TrackedBufferCleanPutLongLatencyBenchmark
{
    /** Stores per invocation, each to a distinct line; divides {@link TrackingRegions#LINE_COUNT}. */
    static final int BATCH = 4096;
    /**
     * How far the raw side of the paired method trails the tracked side in the permutation: half of it. Between the
     * two stores to a line the sides store once to every other line of the region, 64 MiB, twice this machine's 32 MiB
     * last-level cache, so both miss as a side alone does. Storing to the lines the tracked side has just stored to
     * would find them in the caches (a batch's 256 KiB fits in L2).
     */
    static final int PAIRED_LAG = TrackingRegions.LINE_COUNT / 2;

    /**
     * What both sides share: the permutation of lines and the batch being stored.
     */
    public abstract static class Batches
    {
        int[] lines;
        /** First index into {@link #lines} of the batch the next invocation stores; starts one batch before 0. */
        int batchStart = TrackingRegions.LINE_COUNT - BATCH;

        void drawLines()
        {
            lines = TrackingRegions.linePermutation(TrackingRegions.LINE_COUNT, TrackingRegions.SEED);
        }

        void advance()
        {
            batchStart = (batchStart + BATCH) & (TrackingRegions.LINE_COUNT - 1);
        }

        /**
         * @return first index into {@link #lines} of the batch the paired methods' baselines store: {@link #PAIRED_LAG}
         * lines behind {@link #batchStart}.
         */
        int laggedStart()
        {
            return (batchStart + PAIRED_LAG) & (TrackingRegions.LINE_COUNT - 1);
        }
    }

    /**
     * Baseline state: a raw region.
     */
    @State(Scope.Thread)
    public static class RawLines extends Batches
    {
        UnsafeBuffer buffer;

        /**
         * Allocates the region and draws the lines.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            buffer = TrackingRegions.allocateRaw();
            drawLines();
        }

        /**
         * Moves to the next batch, outside the timing.
         */
        @Setup(Level.Invocation)
        public void nextBatch()
        {
            advance();
        }
    }

    /**
     * Subject state, and that of the paired method: a tracked region whose lines are clean before each batch, and its
     * untracked view.
     */
    @State(Scope.Thread)
    public static class TrackedLines extends Batches implements PairedTimes.Sides
    {
        TrackedMemory memory;
        TrackedBuffer buffer;
        UnsafeBuffer untracked;
        DirtyBitmap bitmap;
        /** A bitmap of the region's size that no drain touches: the atomic floor's ORs land here. */
        UnsafeBuffer floorBitmap;
        /** The sides of {@link #pairedAtomicFloor}: these tracked stores against raw stores plus one atomic OR each. */
        final PairedTimes.Sides againstAtomicFloor = new PairedTimes.Sides()
        {
            @Override
            public void trackedBatch()
            {
                TrackedLines.this.trackedBatch();
            }

            @Override
            public void rawBatch()
            {
                storeThenOr(untracked, floorBitmap.addressOffset(), lines,
                    laggedStart());
            }
        };

        /**
         * The sides of {@link #pairedFenceFloor}: raw stores each followed by a full fence, against raw stores. No
         * tracked store runs; the "tracked" side is the fenced one.
         */
        final PairedTimes.Sides fenceAgainstRaw = new PairedTimes.Sides()
        {
            @Override
            public void trackedBatch()
            {
                storeThenFence(untracked, lines, batchStart);
            }

            @Override
            public void rawBatch()
            {
                TrackedLines.this.rawBatch();
            }
        };

        /**
         * Allocates the region, every line clean, and draws the lines.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            memory = TrackingRegions.allocateTracked();
            buffer = memory.buffer();
            untracked = memory.untrackedView();
            bitmap = memory.dirtyBitmap();
            floorBitmap = new UnsafeBuffer(BufferUtil.allocateDirectAligned(TrackingRegions.LINE_COUNT / 8, 64));
            drawLines();
        }

        /**
         * Outside the timing: clears the words the previous batch set, which leaves the whole bitmap clean, and moves
         * to the next batch.
         */
        @Setup(Level.Invocation)
        public void cleanAndNextBatch()
        {
            cleanBatch();
            advance();
        }

        /**
         * Checks that the bitmap holds no bits besides the last batch's: that every batch met clean lines.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            try
            {
                cleanBatch();
                for (int word = 0; word < bitmap.wordCount(); word++)
                {
                    if (bitmap.wordVolatile(word) != 0)
                    {
                        throw new IllegalStateException("bitmap word " + word + " is dirty after the last batch " +
                            "was cleaned: batches did not all store to clean lines");
                    }
                }
            }
            finally
            {
                CloseHelper.close(memory);
            }
        }

        /**
         * The batch's tracked stores, each the first to its clean line.
         */
        @Override
        public void trackedBatch()
        {
            store(buffer, lines, batchStart);
        }

        /**
         * Raw stores to the lines of the batch {@link #PAIRED_LAG} lines behind.
         */
        @Override
        public void rawBatch()
        {
            store(untracked, lines, laggedStart());
        }

        private void cleanBatch()
        {
            final int end = batchStart + BATCH;
            for (int i = batchStart; i < end; i++)
            {
                bitmap.takeWord(lines[i] >>> 6);
            }
        }
    }

    /**
     * Both sides in one fork and into the same memory: the batch's tracked stores, each to a clean line, and raw
     * stores through the untracked view to the lines of the batch half a permutation behind (so that neither side finds
     * the other's lines in the caches), each timed, in alternating order ({@link PairedTimes#timeBatches}). Over a
     * pass both sides store to every line once.
     *
     * @param state the tracked region, its untracked view, and the batch.
     * @param times the counters.
     */
    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    public void pairedPutLong(final TrackedLines state, final PairedTimes times)
    {
        times.timeBatches(state);
    }

    /**
     * The floor of any tracking that takes an atomic OR per clean-to-dirty transition, paired as
     * {@link #pairedPutLong} is: the same tracked batches, against raw stores each followed by an unconditional
     * atomic OR of its line's bit into a bitmap of its own ({@code getAndBitwiseOrLong}: on x86 a load and a
     * {@code lock cmpxchg}, the locked instruction the tracked clean path ends with too). The atomic waits for the
     * store before it to leave the store buffer, which for a store that misses the caches means waiting for its line:
     * stores that overlapped their misses now take them one at a time.
     * A ratio near 1 says the clean path costs what its atomic costs, whatever the code around it.
     *
     * @param state the tracked region, its untracked view, the floor's bitmap and the batch.
     * @param times the counters.
     */
    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    public void pairedAtomicFloor(final TrackedLines state, final PairedTimes times)
    {
        times.timeBatches(state.againstAtomicFloor);
    }

    /**
     * The floor of any tracking that runs an atomic instruction per clean-to-dirty transition, whatever the atomic:
     * raw stores each followed by a full fence ({@code VarHandle.fullFence()}, a {@code lock}ed add to the stack on
     * x86, the cheapest instruction that waits for the store buffer to drain), against raw stores, paired as
     * {@link #pairedPutLong} is. Every x86 atomic read-modify-write waits as this fence does, and then also reads
     * and writes its bitmap word; so a ratio above a goal here says that no atomic clean path can meet the goal on
     * this machine.
     *
     * @param state the region's untracked view and the batch.
     * @param times the counters: {@code trackedNs} holds the fenced stores' time.
     */
    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    public void pairedFenceFloor(final TrackedLines state, final PairedTimes times)
    {
        times.timeBatches(state.fenceAgainstRaw);
    }

    /**
     * Subject: {@link #BATCH} tracked stores, each the first to its line in the epoch.
     *
     * @param state the tracked region and the batch.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void trackedBufferPutLong(final TrackedLines state)
    {
        store(state.buffer, state.lines, state.batchStart);
    }

    /**
     * Baseline: {@link #BATCH} raw stores to the same lines.
     *
     * @param state the raw region and the batch.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void unsafeBufferPutLong(final RawLines state)
    {
        store(state.buffer, state.lines, state.batchStart);
    }

    /*
     * The store loop, twice with the same body, for the reason TrackedBufferPutLongLatencyBenchmark gives: one class
     * per call site.
     */

    private static void store(final TrackedBuffer buffer, final int[] lines, final int first)
    {
        for (int i = first, end = first + BATCH; i < end; i++)
        {
            buffer.putLong(lines[i] * TrackingRegions.LINE_LENGTH_BYTES, i);
        }
    }

    private static void store(final UnsafeBuffer buffer, final int[] lines, final int first)
    {
        for (int i = first, end = first + BATCH; i < end; i++)
        {
            buffer.putLong(lines[i] * TrackingRegions.LINE_LENGTH_BYTES, i);
        }
    }

    private static void storeThenOr(final UnsafeBuffer buffer, final long bitmapAddress, final int[] lines,
        final int first)
    {
        for (int i = first, end = first + BATCH; i < end; i++)
        {
            final int line = lines[i];
            buffer.putLong(line * TrackingRegions.LINE_LENGTH_BYTES, i);
            UnsafeApi.getAndBitwiseOrLong(null, bitmapAddress + ((long)(line >>> 6) << 3), 1L << line);
        }
    }

    private static void storeThenFence(final UnsafeBuffer buffer, final int[] lines, final int first)
    {
        for (int i = first, end = first + BATCH; i < end; i++)
        {
            buffer.putLong(lines[i] * TrackingRegions.LINE_LENGTH_BYTES, i);
            VarHandle.fullFence();
        }
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(TrackedBufferCleanPutLongLatencyBenchmark.class, args);
    }
}
