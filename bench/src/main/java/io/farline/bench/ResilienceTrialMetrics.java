package io.farline.bench;

import io.farline.bench.SuiteMetrics.Figure;
import io.farline.bench.SuiteMetrics.GoalKind;
import io.farline.bench.SuiteMetrics.Measured;
import io.farline.bench.SuiteMetrics.Metric;
import io.farline.bench.SuiteMetrics.Side;
import io.farline.bench.SuiteMetrics.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The metrics of the resilience suite's trial step ({@link ResilienceTrialMain}): far memory with XOR 3+1 parity
 * across memory hosts in child JVMs, one host killed per round. Ratios are medians of per-round ratios, absolute
 * figures medians over rounds. None has a goal in the issue beyond being recorded.
 */
final class ResilienceTrialMetrics
{
    private static final String SETUP = "24 MiB of far memory, XOR 3+1 parity, 4 MiB cache, on " +
        ResilienceTrialMain.HOSTS + " host JVMs; " + ResilienceTrialMain.ROUNDS + " rounds";
    private static final String SECONDS_PER_GIB = "s/GiB";
    private static final String BYTES = "bytes";
    private static final String NANOSECONDS = "ns";

    static final Spec PARITY_BYTES = Spec.perForkRatio("parity-line-vs-page-bytes", GoalKind.RECORD, 0,
        side("parity bytes moved by line-granular updates (FarMemory.parityUpdateBytes(): old data and parity lines " +
            "read, parity lines written) over " + ResilienceTrialMain.UPDATES + " random putLong; " + SETUP),
        side("the same for whole-page parity updates (FarMemory.pageParityUpdateBytes())"));
    static final Spec DEGRADED_READ = Spec.perForkRatio("degraded-read-vs-remote-read", GoalKind.RECORD, 0,
        side("p50 of " + ResilienceTrialMain.READ_SAMPLES + " getLong misses on a killed host's pages, served " +
            "degraded (k reads and a decode, and the rebuild write of the page); " + SETUP),
        side("p50 of " + ResilienceTrialMain.READ_SAMPLES + " getLong misses served from the page's live host"));
    static final Spec REBUILD = Spec.absolute("rebuild-seconds-per-gib", GoalKind.RECORD, 0,
        side("wall time of FarMemory.doWork() until nothing is left to rebuild, per GiB rebuilt, after a host " +
            "holding about 1/7 of the chunks was killed; " + SETUP),
        SECONDS_PER_GIB, 1.0);
    static final Spec OVERHEAD = Spec.perForkRatio("memory-overhead-xor-vs-replicas", GoalKind.RECORD, 0,
        side("host memory per byte of data under XOR 3+1 (chunks borrowed x chunk size / address space)"),
        side("the same under 2 replicas"));

    /** Every trial metric, in report order. */
    static final List<Spec> SPECS = List.of(PARITY_BYTES, DEGRADED_READ, REBUILD, OVERHEAD);

    private ResilienceTrialMetrics()
    {
    }

    /**
     * @param exitValue the trial's exit status.
     * @param output    its standard output, line by line.
     * @return the trial metrics; all failed if the trial failed.
     */
    static List<Metric> trialMetrics(final int exitValue, final List<String> output)
    {
        final List<ResilienceRound> rounds = new ArrayList<>();
        double parityOverhead = Double.NaN;
        double replicaOverhead = Double.NaN;
        boolean done = false;
        try
        {
            for (final String line : output)
            {
                if (line.startsWith(ResilienceRound.PREFIX + " "))
                {
                    rounds.add(ResilienceRound.parse(line));
                }
                else if (line.startsWith(ResilienceTrialMain.OVERHEAD + " "))
                {
                    final FieldLine fields = FieldLine.parse(ResilienceTrialMain.OVERHEAD, line);
                    parityOverhead = fields.doubleValue("xor");
                    replicaOverhead = fields.doubleValue("replicas");
                }
                done |= ResilienceTrialMain.DONE.equals(line.trim());
            }
        }
        catch (final IllegalArgumentException ex)
        {
            return failedTrialMetrics("the trial printed a bad line: " + ex.getMessage());
        }
        if (0 != exitValue || !done || rounds.isEmpty())
        {
            return failedTrialMetrics("the trial exited with " + exitValue + (done ? "" : " before finishing") +
                "; its standard error is in the log");
        }
        return List.of(
            SuiteMetrics.metric(PARITY_BYTES, measured(rounds, r -> r.lineParityBytes(), BYTES),
                measured(rounds, r -> r.pageParityBytes(), BYTES)),
            SuiteMetrics.metric(DEGRADED_READ, measured(rounds, r -> r.degradedReadP50Ns(), NANOSECONDS),
                measured(rounds, r -> r.normalReadP50Ns(), NANOSECONDS)),
            SuiteMetrics.metric(REBUILD, measured(rounds, ResilienceRound::rebuildSecondsPerGib, SECONDS_PER_GIB),
                Measured.NONE),
            SuiteMetrics.metric(OVERHEAD, measured(parityOverhead, SuiteMetrics.RATIO_UNIT),
                measured(replicaOverhead, SuiteMetrics.RATIO_UNIT)));
    }

    /**
     * @param reason why the trial gave nothing.
     * @return every trial metric, failed with that reason.
     */
    static List<Metric> failedTrialMetrics(final String reason)
    {
        final List<Metric> metrics = new ArrayList<>();
        for (final Spec spec : SPECS)
        {
            metrics.add(new Metric(spec, Measured.NONE, Measured.NONE, Double.NaN, false, reason));
        }
        return metrics;
    }

    private static Measured measured(final List<ResilienceRound> rounds, final ToDoubleFunction<ResilienceRound> figure,
        final String unit)
    {
        final double[] values = rounds.stream().mapToDouble(figure).toArray();
        return new Measured(values, SuiteMetrics.median(values), unit);
    }

    private static Measured measured(final double value, final String unit)
    {
        return new Measured(new double[]{ value }, value, unit);
    }

    private static Side side(final String description)
    {
        return new Side(ResilienceTrialMain.STEP_NAME, Figure.SCORE, description);
    }
}
