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
 * What a suite's metrics are made of, shared by every suite ({@link TransportMetrics}, {@link TrackingMetrics},
 * {@link FarMemoryMetrics}): which benchmark is the subject and which the baseline of a metric, which figure of a fork
 * counts, the goal, and {@link #compute}, which turns the forks' results into values.
 */
final class SuiteMetrics
{
    /** The unit of a metric that is a subject ÷ baseline ratio. */
    static final String RATIO_UNIT = "ratio";
    /** The unit of a per-iteration p50 counter, in {@link Measured#unit()} and in the JSON's {@code rawUnit}. */
    static final String P50_UNIT = "ns (p50)";
    /** Appended to a sample-time benchmark's unit when its figure is the p50 of its samples. */
    static final String SAMPLE_P50_SUFFIX = " (p50)";
    private static final double PERCENTILE_50 = 50.0;

    /** The figure taken from each fork's result. */
    enum Figure
    {
        /** The primary score, in the benchmark's unit (ops/s, ns/op). */
        SCORE(null),
        /** The {@code sent} auxiliary counter (messages per second of a producer/consumer group). */
        SENT(TwoSidedSendThroughputBenchmark.SENT_COUNTER),
        /** The paired ping-pong's Farline p50: the median over the fork's iterations, ns. */
        FARLINE_P50(TwoSidedPingPongPairedLatencyBenchmark.FARLINE_P50, "p50"),
        /** The paired ping-pong's raw one-to-one ring p50: the median over the fork's iterations, ns. */
        RING_P50(TwoSidedPingPongPairedLatencyBenchmark.RING_P50, "p50"),
        /** The paired ping-pong's raw many-to-one ring p50: the median over the fork's iterations, ns. */
        MANY_TO_ONE_RING_P50(TwoSidedPingPongPairedLatencyBenchmark.MANY_TO_ONE_RING_P50, "p50"),
        /** The paired ping-pong's Farline p90, median over the fork's iterations, ns; and so on for the tail. */
        FARLINE_P90(TwoSidedPingPongPairedLatencyBenchmark.FARLINE_P90, "p90"),
        RING_P90(TwoSidedPingPongPairedLatencyBenchmark.RING_P90, "p90"),
        FARLINE_P99(TwoSidedPingPongPairedLatencyBenchmark.FARLINE_P99, "p99"),
        RING_P99(TwoSidedPingPongPairedLatencyBenchmark.RING_P99, "p99"),
        FARLINE_P999(TwoSidedPingPongPairedLatencyBenchmark.FARLINE_P999, "p99.9"),
        RING_P999(TwoSidedPingPongPairedLatencyBenchmark.RING_P999, "p99.9"),
        /** The replica sync's count of master lines copied into each replica, summed over the fork. */
        REPLICA_LINES(PageTableReplicatorSyncLatencyBenchmark.REPLICA_LINES_COUNTER),
        /** The replica sync's count of page-table entries updated, summed over the fork. */
        PTE_UPDATES(PageTableReplicatorSyncLatencyBenchmark.UPDATES_COUNTER),
        /** A paired tracking benchmark's time in tracked batches, summed over the fork ({@link PairedTimes}). */
        TRACKED_NS(PairedTimes.TRACKED_NS_COUNTER),
        /** A paired tracking benchmark's time in raw batches, summed over the fork ({@link PairedTimes}). */
        RAW_NS(PairedTimes.RAW_NS_COUNTER),
        /** A sample-time benchmark's median: the p50 of the fork's samples, in the benchmark's output unit. */
        SAMPLE_P50(null);

        private final String counter;
        private final String percentile;

        Figure(final String counter)
        {
            this(counter, null);
        }

        Figure(final String counter, final String percentile)
        {
            this.counter = counter;
            this.percentile = percentile;
        }

        boolean isPerIterationPercentile()
        {
            return null != percentile;
        }
    }

    /** What the goal asks of the value. */
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
     * A metric: subject ÷ baseline, or, with no baseline, an absolute figure of the subject.
     *
     * @param id            as the results file names it.
     * @param goalKind      what the goal asks.
     * @param threshold     the goal's bound; unused for {@link GoalKind#RECORD}.
     * @param subject       the subject.
     * @param baseline      the baseline, or null for an absolute metric.
     * @param perForkRatios true: the value is the median of the forks' ratios (fork {@code i} of the subject ÷ fork
     *                      {@code i} of the baseline); false: the subject's median ÷ the baseline's median.
     * @param unit          {@link #RATIO_UNIT}, or the unit of an absolute metric.
     * @param scale         an absolute metric's factor from a fork's figure to {@code unit}; 1 for a ratio.
     */
    record Spec(String id, GoalKind goalKind, double threshold, Side subject, Side baseline, boolean perForkRatios,
        String unit, double scale)
    {
        /**
         * A ratio metric whose value is the median of per-fork ratios when subject and baseline are the same
         * benchmark (paired in one fork), else the ratio of the medians.
         */
        Spec(final String id, final GoalKind goalKind, final double threshold, final Side subject, final Side baseline)
        {
            this(id, goalKind, threshold, subject, baseline, subject.key().equals(baseline.key()), RATIO_UNIT, 1.0);
        }

        /**
         * @return a ratio metric whose value is the median of the forks' subject ÷ baseline ratios.
         */
        static Spec perForkRatio(
            final String id, final GoalKind goalKind, final double threshold, final Side subject, final Side baseline)
        {
            return new Spec(id, goalKind, threshold, subject, baseline, true, RATIO_UNIT, 1.0);
        }

        /**
         * @return a metric whose value is the median over forks of the subject's figure times {@code scale}.
         */
        static Spec absolute(final String id, final GoalKind goalKind, final double threshold, final Side subject,
            final String unit, final double scale)
        {
            return new Spec(id, goalKind, threshold, subject, null, false, unit, scale);
        }

        boolean isAbsolute()
        {
            return null == baseline;
        }

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
     * A metric a suite defines but cannot measure yet: listed in the printed table, never written to the results
     * file (a value it does not have would be made up).
     *
     * @param id     as the results file will name it.
     * @param what   what it will measure, in words.
     * @param reason why it is not measured yet.
     */
    record Pending(String id, String what, String reason)
    {
    }

    /**
     * One side as measured: the figure of each fork and their median.
     *
     * @param forks  one figure per fork, in run order.
     * @param median their median; NaN when there is none.
     * @param unit   the figure's unit: JMH's ({@code ops/s}, {@code ns/op}) or {@link #P50_UNIT}.
     */
    record Measured(double[] forks, double median, String unit)
    {
        static final Measured NONE = new Measured(new double[0], Double.NaN, "");

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
     * @param baseline the baseline as measured; {@link Measured#NONE} for an absolute metric.
     * @param value    the ratio or the absolute figure, see {@link Spec}; NaN if a side is missing.
     * @param pass     whether the value meets the goal (true for a record metric that was measured).
     * @param error    why there is no value, or null.
     */
    record Metric(Spec spec, Measured subject, Measured baseline, double value, boolean pass, String error)
    {
        /**
         * @return true if any side of the metric has a figure.
         */
        boolean isMeasured()
        {
            return !subject.isMissing() || !baseline.isMissing();
        }
    }

    private SuiteMetrics()
    {
    }

    /**
     * @param specs        the suite's metrics.
     * @param resultsByKey each benchmark's per-fork results, by {@link Side#key()}.
     * @return every metric of {@code specs}, with an error for those whose results are missing.
     */
    static List<Metric> compute(final List<Spec> specs, final Map<String, List<BenchmarkResult>> resultsByKey)
    {
        final List<Metric> metrics = new ArrayList<>();
        for (final Spec spec : specs)
        {
            final Measured subject = measure(spec.subject(), resultsByKey);
            final Measured baseline = spec.isAbsolute() ? Measured.NONE : measure(spec.baseline(), resultsByKey);
            metrics.add(metric(spec, subject, baseline));
        }
        return metrics;
    }

    /**
     * @return the metric's value, pass and error from its measured sides.
     */
    static Metric metric(final Spec spec, final Measured subject, final Measured baseline)
    {
        String error = null;
        if (subject.isMissing() || (!spec.isAbsolute() && baseline.isMissing()))
        {
            error = "no result for " + (subject.isMissing() ? spec.subject().key() : spec.baseline().key()) +
                " (it failed or was not run; see the JMH log)";
        }
        else if (!spec.isAbsolute() && !subject.unit().equals(baseline.unit()))
        {
            error = "subject is in " + subject.unit() + " but baseline in " + baseline.unit();
        }
        else if (spec.perForkRatios() && subject.forks().length != baseline.forks().length)
        {
            error = "subject has " + subject.forks().length + " forks but baseline " + baseline.forks().length +
                ": per-fork ratios need pairs (a fork failed; see the JMH log)";
        }
        final double value;
        if (null != error)
        {
            value = Double.NaN;
        }
        else if (spec.isAbsolute())
        {
            value = median(scaled(subject.forks(), spec.scale()));
        }
        else if (spec.perForkRatios())
        {
            value = median(ratios(subject.forks(), baseline.forks()));
        }
        else
        {
            value = subject.median() / baseline.median();
        }
        final boolean pass = null == error && !Double.isNaN(value) && spec.passes(value);
        return new Metric(spec, subject, baseline, value, pass, error);
    }

    static double[] ratios(final double[] subject, final double[] baseline)
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

    private static double[] scaled(final double[] values, final double scale)
    {
        final double[] scaled = new double[values.length];
        for (int i = 0; i < values.length; i++)
        {
            scaled[i] = values[i] * scale;
        }
        return scaled;
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
                unit = "ns (" + side.figure().percentile + ")";
            }
            else if (Figure.SAMPLE_P50 == side.figure())
            {
                final Result<?> result = forks.get(i).getPrimaryResult();
                figures[i] = result.getStatistics().getPercentile(PERCENTILE_50);
                unit = result.getScoreUnit() + SAMPLE_P50_SUFFIX;
            }
            else
            {
                final Result<?> result = null != side.figure().counter ?
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
}
