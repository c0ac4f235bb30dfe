package io.farline.bench;

import io.farline.bench.SuiteMetrics.Figure;
import io.farline.bench.SuiteMetrics.GoalKind;
import io.farline.bench.SuiteMetrics.Pending;
import io.farline.bench.SuiteMetrics.Side;
import io.farline.bench.SuiteMetrics.Spec;

import java.util.List;

import static io.farline.bench.SuiteMetrics.key;

/**
 * The metrics of the tracking suite: the cost of a tracked store against a raw {@code UnsafeBuffer} store, as the
 * median of per-fork ratios of time per operation (lower is better), and the drain throughput for the record. The
 * store metrics with a goal come from paired benchmarks, which time both sides in one fork into the same memory
 * ({@link PairedTimes}); their {@code -unpaired} records ratio forks of their own, paired only by the suite's
 * interleaved rounds.
 */
final class TrackingMetrics
{
    static final String SUITE = "tracking";

    /** The benchmark classes of the suite. */
    static final List<Class<?>> CLASSES = List.of(
        TrackedBufferPutLongLatencyBenchmark.class,
        TrackedBufferCleanPutLongLatencyBenchmark.class,
        TrackedBufferPutBytesLatencyBenchmark.class,
        DirtyDrainerDrainThroughputBenchmark.class,
        PageTableReplicatorSyncLatencyBenchmark.class);

    /** Unit of the drain metrics: GB (10^9 bytes) of tracked memory drained per second. */
    static final String GB_PER_SECOND = "GB/s";
    /** From drains per second to GB of tracked memory per second. */
    static final double GB_PER_DRAIN = TrackingRegions.REGION_LENGTH_BYTES / 1e9;

    static final List<Spec> SPECS = List.of(
        paired("P1-put-dirty", 1.05, TrackedBufferPutLongLatencyBenchmark.class, "pairedPutLong",
            "TrackedBuffer.putLong at random 8-byte-aligned offsets of 64 MiB, every line already dirty, in batches " +
            "of " + TrackedBufferPutLongLatencyBenchmark.PAIRED_BATCH + " alternating with the baseline's",
            "UnsafeBuffer.putLong at the same offsets of the same 64 MiB (its untracked view), in the same fork, " +
            "half a pass of the offsets behind"),
        unpaired("P1-put-dirty", TrackedBufferPutLongLatencyBenchmark.class, "PutLong",
            "TrackedBuffer.putLong at random 8-byte-aligned offsets of 64 MiB, every line already dirty",
            "UnsafeBuffer.putLong at the same offsets of raw 64 MiB"),
        Spec.perForkRatio("P1-load-floor", GoalKind.RECORD, 0,
            new Side(key(TrackedBufferPutLongLatencyBenchmark.class, "pairedLoadFloor"), Figure.TRACKED_NS,
                "UnsafeBuffer.putLong at random 8-byte-aligned offsets of 64 MiB, each followed by a plain load of " +
                "its line's word from a 128 KiB bitmap of its own, every bit set, and a test of the bit (the least " +
                "any one-bit-per-line fast path costs), in batches of " +
                TrackedBufferPutLongLatencyBenchmark.PAIRED_BATCH + " alternating with the baseline's"),
            new Side(key(TrackedBufferPutLongLatencyBenchmark.class, "pairedLoadFloor"), Figure.RAW_NS,
                "UnsafeBuffer.putLong at the same offsets of the same 64 MiB, in the same fork, half a pass behind")),
        Spec.perForkRatio("P1-put-dirty-vs-load-floor", GoalKind.RECORD, 0,
            new Side(key(TrackedBufferPutLongLatencyBenchmark.class, "pairedAgainstLoadFloor"), Figure.TRACKED_NS,
                "TrackedBuffer.putLong at random 8-byte-aligned offsets of 64 MiB, every line already dirty, in " +
                "batches of " + TrackedBufferPutLongLatencyBenchmark.PAIRED_BATCH + " alternating with the baseline's"),
            new Side(key(TrackedBufferPutLongLatencyBenchmark.class, "pairedAgainstLoadFloor"), Figure.RAW_NS,
                "UnsafeBuffer.putLong at the same offsets of the same 64 MiB, each followed by a plain load and a " +
                "test of its line's bit in a bitmap of its own, in the same fork, half a pass behind")),
        paired("P2-put-clean", 3.0, TrackedBufferCleanPutLongLatencyBenchmark.class, "pairedPutLong",
            "TrackedBuffer.putLong to " + TrackedBufferCleanPutLongLatencyBenchmark.BATCH + " distinct random " +
            "clean lines of 64 MiB per batch (first store of the epoch), alternating with the baseline's batch",
            "UnsafeBuffer.putLong to as many lines of the same 64 MiB (its untracked view), in the same fork, " +
            "half a pass of the lines behind"),
        unpaired("P2-put-clean", TrackedBufferCleanPutLongLatencyBenchmark.class, "PutLong",
            "TrackedBuffer.putLong to " + TrackedBufferCleanPutLongLatencyBenchmark.BATCH + " distinct random " +
            "clean lines of 64 MiB per batch (first store of the epoch)",
            "UnsafeBuffer.putLong to the same lines of raw 64 MiB"),
        Spec.perForkRatio("P2-put-clean-vs-atomic-floor", GoalKind.RECORD, 0,
            new Side(key(TrackedBufferCleanPutLongLatencyBenchmark.class, "pairedAtomicFloor"), Figure.TRACKED_NS,
                "TrackedBuffer.putLong to " + TrackedBufferCleanPutLongLatencyBenchmark.BATCH + " distinct random " +
                "clean lines of 64 MiB per batch, alternating with the baseline's batch"),
            new Side(key(TrackedBufferCleanPutLongLatencyBenchmark.class, "pairedAtomicFloor"), Figure.RAW_NS,
                "UnsafeBuffer.putLong to as many lines of the same 64 MiB, each followed by an atomic OR of its " +
                "line's bit into a bitmap of its own (the floor of any atomic-OR clean path), in the same fork")),
        Spec.perForkRatio("P2-fence-floor", GoalKind.RECORD, 0,
            new Side(key(TrackedBufferCleanPutLongLatencyBenchmark.class, "pairedFenceFloor"), Figure.TRACKED_NS,
                "UnsafeBuffer.putLong to " + TrackedBufferCleanPutLongLatencyBenchmark.BATCH + " distinct random " +
                "lines of 64 MiB per batch, each followed by a full fence (the least any atomic per clean-to-dirty " +
                "transition costs), alternating with the baseline's batch"),
            new Side(key(TrackedBufferCleanPutLongLatencyBenchmark.class, "pairedFenceFloor"), Figure.RAW_NS,
                "UnsafeBuffer.putLong to as many lines of the same 64 MiB, in the same fork, half a pass behind")),
        paired("P1-putbytes-4k", 1.05, TrackedBufferPutBytesLatencyBenchmark.class, "pairedPutBytes",
            "TrackedBuffer.putBytes 4 KiB page after page through 64 MiB, every line already dirty, in batches " +
            "of " + TrackedBufferPutBytesLatencyBenchmark.PAIRED_BATCH + " alternating with the baseline's",
            "UnsafeBuffer.putBytes 4 KiB to the same pages of the same 64 MiB (its untracked view), in the same fork"),
        unpaired("P1-putbytes-4k", TrackedBufferPutBytesLatencyBenchmark.class, "PutBytes",
            "TrackedBuffer.putBytes 4 KiB page after page through 64 MiB",
            "UnsafeBuffer.putBytes 4 KiB to the same pages of raw 64 MiB"),
        Spec.absolute("drain-1pct-gbps", GoalKind.RECORD, 0,
            new Side(key(DirtyDrainerDrainThroughputBenchmark.class, "drain") + " dirtyPercent=1", Figure.SCORE,
                "DirtyDrainer.drain of a whole epoch of 64 MiB with a random 1% of lines dirty"),
            GB_PER_SECOND, GB_PER_DRAIN),
        Spec.absolute("drain-100pct-gbps", GoalKind.RECORD, 0,
            new Side(key(DirtyDrainerDrainThroughputBenchmark.class, "drain") + " dirtyPercent=100", Figure.SCORE,
                "DirtyDrainer.drain of a whole epoch of 64 MiB with every line dirty"),
            GB_PER_SECOND, GB_PER_DRAIN),
        Spec.perForkRatio("P12-replica-bytes", GoalKind.AT_MOST, 1.0,
            new Side(key(PageTableReplicatorSyncLatencyBenchmark.class, "replicatedSync"), Figure.REPLICA_LINES,
                "master lines (64 bytes) copied into each replica by sync() after " +
                PageTableReplicatorSyncLatencyBenchmark.BATCH + " random entry updates of an 8 MiB table"),
            new Side(key(PageTableReplicatorSyncLatencyBenchmark.class, "replicatedSync"), Figure.PTE_UPDATES,
                "entries updated")),
        Spec.perForkRatio("replica-sync-vs-full-copy", GoalKind.RECORD, 0,
            new Side(key(PageTableReplicatorSyncLatencyBenchmark.class, "replicatedSync"), Figure.SCORE,
                PageTableReplicatorSyncLatencyBenchmark.BATCH + " random entry updates, then sync() of " +
                PageTableReplicatorSyncLatencyBenchmark.REPLICAS + " replicas (dirty lines only), per update"),
            new Side(key(PageTableReplicatorSyncLatencyBenchmark.class, "wholeTableCopy"), Figure.SCORE,
                "the same updates, then a copy of the whole 8 MiB table into each replica, per update")));

    /** Metrics of the suite that cannot be measured yet. */
    static final List<Pending> PENDING = List.of();

    private TrackingMetrics()
    {
    }

    /**
     * @return a store metric with a goal, from a paired benchmark: its time in tracked batches ÷ its time in raw
     * batches, fork by fork.
     */
    private static Spec paired(final String id, final double atMost, final Class<?> benchmarkClass,
        final String method, final String subject, final String baseline)
    {
        final String key = key(benchmarkClass, method);
        return Spec.perForkRatio(id, GoalKind.AT_MOST, atMost, new Side(key, Figure.TRACKED_NS, subject),
            new Side(key, Figure.RAW_NS, baseline));
    }

    /**
     * @return the record {@code <pairedId>-unpaired}: the class's {@code trackedBuffer<op>} ÷ {@code unsafeBuffer<op>},
     * each in forks of its own, fork by fork of the interleaved rounds.
     */
    private static Spec unpaired(final String pairedId, final Class<?> benchmarkClass, final String op,
        final String subject, final String baseline)
    {
        final String apart = ", in forks of its own";
        return Spec.perForkRatio(pairedId + "-unpaired", GoalKind.RECORD, 0,
            new Side(key(benchmarkClass, "trackedBuffer" + op), Figure.SCORE, subject + apart),
            new Side(key(benchmarkClass, "unsafeBuffer" + op), Figure.SCORE, baseline + apart));
    }
}
