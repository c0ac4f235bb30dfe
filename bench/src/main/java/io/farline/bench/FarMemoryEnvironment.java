package io.farline.bench;

import io.farline.bench.SuiteMetrics.Metric;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The farmemory suite's environment: one {@link FarMemoryCluster} (a pool controller and memory hosts in child JVMs)
 * for the whole suite, named to every fork by {@value FarMemoryCluster#FABRIC_PROPERTY}, and the count step, run in a
 * child JVM ({@link FarMemoryCountsMain}) that borrows from the same cluster. {@link #close()} stops the cluster.
 * <p>
 * Runs in the runner's JVM, which has none of Farline's JVM flags: it only starts processes and reads their output.
 */
final class FarMemoryEnvironment implements SuiteEnvironment
{
    /** Longest the count step may take before it is killed and its metrics fail. */
    static final long COUNT_STEP_TIMEOUT_MS = 300_000;

    private final FarMemoryCluster cluster;

    private FarMemoryEnvironment(final FarMemoryCluster cluster)
    {
        this.cluster = cluster;
    }

    /**
     * Starts the cluster.
     *
     * @return the environment.
     */
    static SuiteEnvironment start()
    {
        final FarMemoryCluster cluster = FarMemoryCluster.start();
        System.out.println("# farmemory suite: " + cluster.describe());
        return new FarMemoryEnvironment(cluster);
    }

    @Override
    public List<String> forkJvmArgs()
    {
        return List.of(cluster.forkJvmArg());
    }

    /**
     * Runs the count step in a child JVM and computes the count metrics from what it prints.
     */
    @Override
    public List<Metric> runSteps()
    {
        System.out.println("# farmemory suite: count step (" + FarMemoryCountsMain.WORKLOADS + ")");
        final ChildStep.Outcome outcome = ChildStep.run("counts", FarMemoryCountsMain.class,
            List.of(cluster.forkJvmArg()), COUNT_STEP_TIMEOUT_MS, (line, input) -> { });
        return null != outcome.failure() ? FarMemoryMetrics.failedCountMetrics(outcome.failure()) :
            countMetrics(outcome.exitValue(), outcome.lines());
    }

    @Override
    public String describe()
    {
        return cluster.describe();
    }

    @Override
    public void close()
    {
        cluster.close();
    }

    /**
     * @param exitValue the count step's exit status.
     * @param output    its standard output, line by line.
     * @return the count metrics; all failed if the step failed, each failed whose workload is missing.
     */
    static List<Metric> countMetrics(final int exitValue, final List<String> output)
    {
        final Map<String, FarMemoryCounts> counts = new LinkedHashMap<>();
        boolean done = false;
        try
        {
            for (final String line : output)
            {
                if (line.startsWith(FarMemoryCounts.PREFIX + " "))
                {
                    final FarMemoryCounts workload = FarMemoryCounts.parse(line);
                    counts.put(workload.workload(), workload);
                }
                done |= FarMemoryCountsMain.DONE.equals(line.trim());
            }
        }
        catch (final IllegalArgumentException ex)
        {
            return FarMemoryMetrics.failedCountMetrics("the count step printed a bad line: " + ex.getMessage());
        }
        if (0 != exitValue || !done)
        {
            return FarMemoryMetrics.failedCountMetrics("the count step exited with " + exitValue +
                (done ? "" : " before finishing") + "; its standard error is in the log");
        }
        return FarMemoryMetrics.countMetrics(counts);
    }
}
