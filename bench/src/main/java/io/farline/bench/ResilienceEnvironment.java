package io.farline.bench;

import io.farline.bench.SuiteMetrics.Metric;
import io.farline.transport.internal.ChildJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The resilience suite's environment: for the trial step only, a {@link FarMemoryCluster} of
 * {@value ResilienceTrialMain#HOSTS} memory hosts and the trial ({@link ResilienceTrialMain}) in a child JVM, whose
 * requests to kill a host this runner carries out (SIGKILL) and answers. The cluster is stopped when the step ends,
 * so that the codec benchmarks run on a quiet machine.
 */
final class ResilienceEnvironment implements SuiteEnvironment
{
    /** Longest the trial may take before it is killed and its metrics fail. */
    static final long TRIAL_TIMEOUT_MS = 600_000;

    private String description;

    private ResilienceEnvironment()
    {
    }

    /**
     * @return the environment; nothing starts until {@link #runSteps()}.
     */
    static SuiteEnvironment start()
    {
        return new ResilienceEnvironment();
    }

    @Override
    public List<String> forkJvmArgs()
    {
        return List.of();
    }

    /**
     * Runs the trial in a child JVM, killing the hosts it names, and computes the trial metrics from what it prints.
     */
    @Override
    public List<Metric> runSteps()
    {
        try (FarMemoryCluster cluster =
            FarMemoryCluster.start(ResilienceTrialMain.HOSTS, ResilienceTrialMain.DONATE_BYTES_PER_HOST))
        {
            description = "trial step: " + cluster.describe();
            System.out.println("# resilience suite: " + description + "; " + ResilienceTrialMain.ROUNDS +
                " rounds, a host killed in each");
            return runTrial(cluster);
        }
        catch (final RuntimeException ex)
        {
            return ResilienceTrialMetrics.failedTrialMetrics("the trial's cluster did not start: " + ex.getMessage());
        }
    }

    private static List<Metric> runTrial(final FarMemoryCluster cluster)
    {
        final Process process = ChildJvm.start(ResilienceTrialMain.class, List.of(cluster.forkJvmArg()), List.of());
        final Thread reaper = new Thread(process::destroyForcibly, "farline-bench-trial-reaper-" + process.pid());
        Runtime.getRuntime().addShutdownHook(reaper);
        final List<String> lines = new ArrayList<>();
        final Thread reader = new Thread(() -> serve(cluster, process, lines), "farline-bench-trial-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try
        {
            if (!process.waitFor(TRIAL_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                return ResilienceTrialMetrics.failedTrialMetrics("the trial did not finish in " + TRIAL_TIMEOUT_MS +
                    " ms and was killed");
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return ResilienceTrialMetrics.failedTrialMetrics("interrupted while the trial ran");
        }
        finally
        {
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
        final List<String> output;
        synchronized (lines)
        {
            output = new ArrayList<>(lines);
        }
        return ResilienceTrialMetrics.trialMetrics(process.exitValue(), output);
    }

    @Override
    public String describe()
    {
        return description;
    }

    @Override
    public void close()
    {
        // the cluster is stopped by runSteps()
    }

    /**
     * Reads the trial's output; a {@code KILL <id>} line is carried out and answered on the trial's input.
     */
    private static void serve(final FarMemoryCluster cluster, final Process process, final List<String> lines)
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Writer out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8))
        {
            String line;
            while (null != (line = in.readLine()))
            {
                System.out.println("[trial] " + line);
                if (line.startsWith(ResilienceTrialMain.KILL + " "))
                {
                    final int host = Integer.parseInt(line.substring(ResilienceTrialMain.KILL.length() + 1).trim());
                    cluster.killHost(host);
                    out.write(ResilienceTrialMain.KILLED + " " + host + "\n");
                    out.flush();
                }
                synchronized (lines)
                {
                    lines.add(line);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            System.err.println("resilience trial: " + ex);
            process.destroyForcibly();
        }
    }
}
