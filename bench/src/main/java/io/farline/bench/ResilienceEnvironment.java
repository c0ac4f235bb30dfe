package io.farline.bench;

import io.farline.bench.SuiteMetrics.Metric;

import java.util.List;

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
        final ChildStep.Outcome outcome = ChildStep.run("trial", ResilienceTrialMain.class,
            List.of(cluster.forkJvmArg()), TRIAL_TIMEOUT_MS, (line, input) ->
            {
                // The trial asks for a host to be killed, and waits for the answer.
                if (line.startsWith(ResilienceTrialMain.KILL + " "))
                {
                    final int host = Integer.parseInt(line.substring(ResilienceTrialMain.KILL.length() + 1).trim());
                    cluster.killHost(host);
                    input.write(ResilienceTrialMain.KILLED + " " + host + "\n");
                    input.flush();
                }
            });
        return null != outcome.failure() ? ResilienceTrialMetrics.failedTrialMetrics(outcome.failure()) :
            ResilienceTrialMetrics.trialMetrics(outcome.exitValue(), outcome.lines());
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
}
