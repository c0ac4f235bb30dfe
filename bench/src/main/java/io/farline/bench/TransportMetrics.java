package io.farline.bench;

import io.farline.bench.SuiteMetrics.Figure;
import io.farline.bench.SuiteMetrics.GoalKind;
import io.farline.bench.SuiteMetrics.Side;
import io.farline.bench.SuiteMetrics.Spec;

import java.util.List;

import static io.farline.bench.SuiteMetrics.key;

/**
 * The metrics of the transport suite: which benchmark is the subject and which the baseline of each, which figure of
 * a fork counts, and the goal. {@link SuiteMetrics#compute} turns the forks' results into ratios of medians (of
 * per-fork ratios for the paired ping-pong, whose subject and baseline share each fork).
 */
final class TransportMetrics
{
    static final String SUITE = "transport";

    /** The benchmark classes of the suite. */
    static final List<Class<?>> CLASSES = List.of(
        OneSidedWriteThroughputBenchmark.class,
        OneSidedReadThroughputBenchmark.class,
        TwoSidedPingPongPairedLatencyBenchmark.class,
        TwoSidedSendThroughputBenchmark.class,
        TwoSidedSendBatchThroughputBenchmark.class,
        OneSidedFetchAddThroughputBenchmark.class);

    static final List<Spec> SPECS = List.of(
        new Spec("P4-write-4k", GoalKind.AT_LEAST, 0.8,
            new Side(key(OneSidedWriteThroughputBenchmark.class, "farlineWrite"), Figure.SCORE,
                "QueuePair.write 4 KiB into a region owned by a peer process (post + poll)"),
            new Side(key(OneSidedWriteThroughputBenchmark.class, "unsafeBufferPutBytes"), Figure.SCORE,
                "UnsafeBuffer.putBytes 4 KiB in-process")),
        new Spec("P4-read-4k", GoalKind.AT_LEAST, 0.8,
            new Side(key(OneSidedReadThroughputBenchmark.class, "farlineRead"), Figure.SCORE,
                "QueuePair.read 4 KiB from a region owned by a peer process (post + poll)"),
            new Side(key(OneSidedReadThroughputBenchmark.class, "unsafeBufferGetBytes"), Figure.SCORE,
                "UnsafeBuffer.getBytes 4 KiB in-process")),
        new Spec("P5-pingpong-rtt", GoalKind.AT_MOST, 1.2,
            new Side(key(TwoSidedPingPongPairedLatencyBenchmark.class, "pairedRoundTrips"), Figure.FARLINE_P50,
                "QueuePair.send + Node.receive 32 B round trip to a peer process echoing through its node (paired)"),
            new Side(key(TwoSidedPingPongPairedLatencyBenchmark.class, "pairedRoundTrips"), Figure.RING_P50,
                "Agrona OneToOneRingBuffer 32 B round trip over a mapped file (two rings) to the same peer process " +
                "(paired)")),
        tail("P5-pingpong-rtt-p90", Figure.FARLINE_P90, Figure.RING_P90, "p90"),
        tail("P5-pingpong-rtt-p99", Figure.FARLINE_P99, Figure.RING_P99, "p99"),
        tail("P5-pingpong-rtt-p999", Figure.FARLINE_P999, Figure.RING_P999, "p99.9"),
        new Spec("P5-pingpong-rtt-vs-m2o", GoalKind.RECORD, 0,
            new Side(key(TwoSidedPingPongPairedLatencyBenchmark.class, "pairedRoundTrips"), Figure.FARLINE_P50,
                "QueuePair.send + Node.receive 32 B round trip to a peer process echoing through its node (paired)"),
            new Side(key(TwoSidedPingPongPairedLatencyBenchmark.class, "pairedRoundTrips"),
                Figure.MANY_TO_ONE_RING_P50, "Agrona ManyToOneRingBuffer 32 B round trip over a mapped file (two " +
                "rings) to the same peer process (paired)")),
        new Spec("P6-send-throughput", GoalKind.AT_LEAST, 0.8,
            new Side(key(TwoSidedSendBatchThroughputBenchmark.class, "farlineSendThenReceive"), Figure.SCORE,
                "QueuePair.send then Node.receive of 32 B messages in batches of 256 on one thread"),
            new Side(key(TwoSidedSendBatchThroughputBenchmark.class, "ringWriteThenRead") + " ring=OneToOne",
                Figure.SCORE, "Agrona OneToOneRingBuffer write then read of 32 B in batches of 256 on one thread")),
        new Spec("P6-send-throughput-vs-m2o", GoalKind.RECORD, 0,
            new Side(key(TwoSidedSendBatchThroughputBenchmark.class, "farlineSendThenReceive"), Figure.SCORE,
                "QueuePair.send then Node.receive of 32 B messages in batches of 256 on one thread"),
            new Side(key(TwoSidedSendBatchThroughputBenchmark.class, "ringWriteThenRead") + " ring=ManyToOne",
                Figure.SCORE, "Agrona ManyToOneRingBuffer write then read of 32 B in batches of 256 on one thread")),
        new Spec("P6-send-throughput-2-threads", GoalKind.RECORD, 0,
            new Side(key(TwoSidedSendThroughputBenchmark.class, "farline"), Figure.SENT,
                "QueuePair.send 32 B from node A to node B in-process, drained by Node.receive on another thread"),
            new Side(key(TwoSidedSendThroughputBenchmark.class, "rawRing") + " ring=OneToOne", Figure.SENT,
                "Agrona OneToOneRingBuffer.write 32 B in-process, drained by read on another thread")),
        new Spec("P6-fetch-add", GoalKind.RECORD, 0,
            new Side(key(OneSidedFetchAddThroughputBenchmark.class, "farlineFetchAndAdd"), Figure.SCORE,
                "QueuePair.fetchAndAdd on a region owned by a peer process (post + poll)"),
            new Side(key(OneSidedFetchAddThroughputBenchmark.class, "unsafeBufferGetAndAddLong"), Figure.SCORE,
                "UnsafeBuffer.getAndAddLong in-process")));

    private TransportMetrics()
    {
    }

    /**
     * @return a recorded ratio of a tail percentile of the paired ping-pong: Farline against the one-to-one ring.
     */
    private static Spec tail(final String id, final Figure farline, final Figure ring, final String percentile)
    {
        return new Spec(id, GoalKind.RECORD, 0,
            new Side(key(TwoSidedPingPongPairedLatencyBenchmark.class, "pairedRoundTrips"), farline,
                "QueuePair.send + Node.receive 32 B round trip to a peer process (paired), " + percentile +
                " of each invocation's 50,000"),
            new Side(key(TwoSidedPingPongPairedLatencyBenchmark.class, "pairedRoundTrips"), ring,
                "Agrona OneToOneRingBuffer 32 B round trip to the same peer process (paired), " + percentile));
    }
}
