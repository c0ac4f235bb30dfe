package io.farline.bench;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The metrics of the transport suite: which benchmark is the subject and which the baseline of each, which figure of
 * a fork counts, and the goal. {@link #compute} turns the forks' results into ratios of medians.
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

    /** The figure taken from each fork's result. */
    enum Figure
    {
        /** The primary score (throughput, ops/s). */
        SCORE(null),
        /** The {@code sent} auxiliary counter (messages per second of a producer/consumer group). */
        SENT(TwoSidedSendThroughputBenchmark.SENT_COUNTER),
        /** The paired ping-pong's Farline p50: the median over the fork's iterations, ns. */
        FARLINE_P50(TwoSidedPingPongPairedLatencyBenchmark.FARLINE_P50),
        /** The paired ping-pong's raw one-to-one ring p50: the median over the fork's iterations, ns. */
        RING_P50(TwoSidedPingPongPairedLatencyBenchmark.RING_P50),
        /** The paired ping-pong's raw many-to-one ring p50: the median over the fork's iterations, ns. */
        MANY_TO_ONE_RING_P50(TwoSidedPingPongPairedLatencyBenchmark.MANY_TO_ONE_RING_P50);

        private final String counter;

        Figure(final String counter)
        {
            this.counter = counter;
        }

        boolean isPerIterationPercentile()
        {
            return this == FARLINE_P50 || this == RING_P50 || this == MANY_TO_ONE_RING_P50;
        }
    }

    /** What the goal asks of the ratio. */
    enum GoalKind
    {
        AT_LEAST,
        AT_MOST,
        RECORD
    }

    /**
     * One side of a metric.
     *
     * @param key         the benchmark's full name, then {@code " name=value"} for each parameter.
     * @param figure      which figure of each fork counts.
     * @param description what it measures, in words.
     */
    record Side(String key, Figure figure, String description)
    {
    }

    /**
     * A metric: subject ÷ baseline.
     */
    record Spec(String id, GoalKind goalKind, double threshold, Side subject, Side baseline)
    {
        String goal()
        {
            switch (goalKind)
            {
                case AT_LEAST:
                    return ">= " + threshold;
                case AT_MOST:
                    return "<= " + threshold;
                default:
                    return "record";
            }
        }

        boolean passes(final double value)
        {
            switch (goalKind)
            {
                case AT_LEAST:
                    return value >= threshold;
                case AT_MOST:
                    return value <= threshold;
                default:
                    return true;
            }
        }
    }

    /**
     * One side as measured: the figure of each fork and their median.
     *
     * @param forks  one figure per fork, in run order.
     * @param median their median; NaN when there is none.
     * @param unit   JMH's unit of the figure, e.g. {@code ops/s} or {@code ns/op}.
     */
    record Measured(double[] forks, double median, String unit)
    {
        boolean isMissing()
        {
            return forks.length == 0;
        }
    }

    /**
     * A computed metric.
     *
     * @param spec     what it is.
     * @param subject  the subject as measured.
     * @param baseline the baseline as measured.
     * @param value    subject median ÷ baseline median; NaN if a side is missing.
     * @param pass     whether the value meets the goal (true for a record metric that was measured).
     * @param error    why there is no value, or null.
     */
    record Metric(Spec spec, Measured subject, Measured baseline, double value, boolean pass, String error)
    {
    }

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
     * @param resultsByKey each benchmark's per-fork results, by {@link Side#key()}.
     * @return every metric of {@link #SPECS}, with an error for those whose results are missing.
     */
    static List<Metric> compute(final Map<String, List<BenchmarkResult>> resultsByKey)
    {
        final List<Metric> metrics = new ArrayList<>();
        for (final Spec spec : SPECS)
        {
            final Measured subject = measure(spec.subject(), resultsByKey);
            final Measured baseline = measure(spec.baseline(), resultsByKey);
            String error = null;
            if (subject.isMissing() || baseline.isMissing())
            {
                error = "no result for " + (subject.isMissing() ? spec.subject().key() : spec.baseline().key()) +
                    " (it failed or was not run; see the JMH log)";
            }
            else if (!subject.unit().equals(baseline.unit()))
            {
                error = "subject is in " + subject.unit() + " but baseline in " + baseline.unit();
            }
            final double value;
            if (null != error)
            {
                value = Double.NaN;
            }
            else
            {
                value = isPaired(spec) ?
                    median(ratios(subject.forks(), baseline.forks())) : subject.median() / baseline.median();
            }
            final boolean pass = null == error && !Double.isNaN(value) && spec.passes(value);
            metrics.add(new Metric(spec, subject, baseline, value, pass, error));
        }
        return metrics;
    }

    /**
     * A paired metric measures subject and baseline in the same forks (the same benchmark), so each fork's ratio is
     * taken first and the value is their median: the forks may differ by process placement, the pair within a fork
     * does not.
     */
    static boolean isPaired(final Spec spec)
    {
        return spec.subject().key().equals(spec.baseline().key());
    }

    private static double[] ratios(final double[] subject, final double[] baseline)
    {
        final double[] ratios = new double[Math.min(subject.length, baseline.length)];
        for (int i = 0; i < ratios.length; i++)
        {
            ratios[i] = subject[i] / baseline[i];
        }
        return ratios;
    }

    static String key(final Class<?> benchmarkClass, final String methodOrGroup)
    {
        return benchmarkClass.getName() + "." + methodOrGroup;
    }

    private static Measured measure(final Side side, final Map<String, List<BenchmarkResult>> resultsByKey)
    {
        final List<BenchmarkResult> forks = resultsByKey.getOrDefault(side.key(), Collections.emptyList());
        final double[] figures = new double[forks.size()];
        String unit = "";
        for (int i = 0; i < figures.length; i++)
        {
            if (side.figure().isPerIterationPercentile())
            {
                figures[i] = iterationMedian(side, forks.get(i));
                unit = "ns/op";
            }
            else
            {
                final Result<?> result = side.figure() == Figure.SENT ?
                    counter(side, forks.get(i).getSecondaryResults()) : forks.get(i).getPrimaryResult();
                figures[i] = result.getScore();
                unit = result.getScoreUnit();
            }
        }
        return new Measured(figures, median(figures), unit);
    }

    /**
     * The median over a fork's measurement iterations of a per-invocation percentile counter (single-shot
     * iterations: one invocation, so one value, each).
     */
    private static double iterationMedian(final Side side, final BenchmarkResult fork)
    {
        final List<Double> values = new ArrayList<>();
        for (final IterationResult iteration : fork.getIterationResults())
        {
            values.add(counter(side, iteration.getSecondaryResults()).getScore());
        }
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static Result<?> counter(final Side side, final Map<String, ?> secondaries)
    {
        final Result<?> result = (Result<?>)secondaries.get(side.figure().counter);
        if (null == result)
        {
            throw new IllegalStateException(side.key() + " has no '" + side.figure().counter + "' counter; it has " +
                secondaries.keySet());
        }
        return result;
    }

    static double median(final double[] values)
    {
        if (values.length == 0)
        {
            return Double.NaN;
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
