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
 * median of per-fork ratios of time per operation (lower is better; the forks of subject and baseline are paired by
 * the suite's interleaved rounds), and the drain throughput for the record.
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
        Spec.perForkRatio("P1-put-dirty", GoalKind.AT_MOST, 1.05,
            new Side(key(TrackedBufferPutLongLatencyBenchmark.class, "trackedBufferPutLong"), Figure.SCORE,
                "TrackedBuffer.putLong at random 8-byte-aligned offsets of 64 MiB, every line already dirty"),
            new Side(key(TrackedBufferPutLongLatencyBenchmark.class, "unsafeBufferPutLong"), Figure.SCORE,
                "UnsafeBuffer.putLong at the same offsets of raw 64 MiB")),
        Spec.perForkRatio("P2-put-clean", GoalKind.AT_MOST, 3.0,
            new Side(key(TrackedBufferCleanPutLongLatencyBenchmark.class, "trackedBufferPutLong"), Figure.SCORE,
                "TrackedBuffer.putLong to " + TrackedBufferCleanPutLongLatencyBenchmark.BATCH + " distinct random " +
                "clean lines of 64 MiB per batch (first store of the epoch)"),
            new Side(key(TrackedBufferCleanPutLongLatencyBenchmark.class, "unsafeBufferPutLong"), Figure.SCORE,
                "UnsafeBuffer.putLong to the same lines of raw 64 MiB")),
        Spec.perForkRatio("P1-putbytes-4k", GoalKind.AT_MOST, 1.05,
            new Side(key(TrackedBufferPutBytesLatencyBenchmark.class, "pairedPutBytes"), Figure.TRACKED_COPY_NS,
                "TrackedBuffer.putBytes 4 KiB page after page through 64 MiB, every line already dirty, in batches " +
                "of " + TrackedBufferPutBytesLatencyBenchmark.PAIRED_BATCH + " alternating with the baseline's"),
            new Side(key(TrackedBufferPutBytesLatencyBenchmark.class, "pairedPutBytes"), Figure.RAW_COPY_NS,
                "UnsafeBuffer.putBytes 4 KiB to the same pages of raw 64 MiB, in the same fork")),
        Spec.perForkRatio("P1-putbytes-4k-unpaired", GoalKind.RECORD, 0,
            new Side(key(TrackedBufferPutBytesLatencyBenchmark.class, "trackedBufferPutBytes"), Figure.SCORE,
                "TrackedBuffer.putBytes 4 KiB page after page through 64 MiB, in forks of its own"),
            new Side(key(TrackedBufferPutBytesLatencyBenchmark.class, "unsafeBufferPutBytes"), Figure.SCORE,
                "UnsafeBuffer.putBytes 4 KiB to the same pages of raw 64 MiB, in forks of its own")),
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
}
