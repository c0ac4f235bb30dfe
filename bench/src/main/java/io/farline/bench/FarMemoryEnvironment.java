package io.farline.bench;

import io.farline.bench.SuiteMetrics.Metric;
import io.farline.transport.internal.ChildJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
        final Process process = ChildJvm.start(FarMemoryCountsMain.class, List.of(cluster.forkJvmArg()), List.of());
        final Thread reaper = new Thread(process::destroyForcibly, "farline-bench-counts-reaper-" + process.pid());
        Runtime.getRuntime().addShutdownHook(reaper);
        final List<String> lines = new ArrayList<>();
        final Thread reader = new Thread(() -> read(process, lines), "farline-bench-counts-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try
        {
            if (!process.waitFor(COUNT_STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                return FarMemoryMetrics.failedCountMetrics("the count step did not finish in " +
                    COUNT_STEP_TIMEOUT_MS + " ms and was killed");
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return FarMemoryMetrics.failedCountMetrics("interrupted while the count step ran");
        }
        finally
        {
            removeHook(reaper);
        }
        final List<String> output;
        synchronized (lines)
        {
            output = new ArrayList<>(lines);
        }
        return countMetrics(process.exitValue(), output);
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

    private static void read(final Process process, final List<String> lines)
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = in.readLine()))
            {
                System.out.println("[counts " + process.pid() + "] " + line);
                synchronized (lines)
                {
                    lines.add(line);
                }
            }
        }
        catch (final IOException ignore)
        {
            // The pipe closed with the process.
        }
    }

    private static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignore)
        {
            // The JVM is shutting down: the hook runs anyway.
        }
    }
}
