package io.farline.bench;

import io.farline.bench.SuiteMetrics.Metric;

import java.util.List;

/**
 * What a suite needs around its JMH run: processes that outlive a fork (the farmemory suite's pool of memory hosts),
 * the JVM arguments that tell the forks where they are, and steps measured outside JMH. Opened by
 * {@link BenchmarkRunner} before a suite's benchmarks and closed after them, whatever happened.
 */
interface SuiteEnvironment extends AutoCloseable
{
    /** The environment of a suite that needs none. */
    SuiteEnvironment NONE = new SuiteEnvironment()
    {
        @Override
        public List<String> forkJvmArgs()
        {
            return List.of();
        }

        @Override
        public List<Metric> runSteps()
        {
            return List.of();
        }

        @Override
        public String describe()
        {
            return null;
        }

        @Override
        public void close()
        {
        }
    };

    /**
     * @return JVM arguments for every fork of the suite, after the runner's own.
     */
    List<String> forkJvmArgs();

    /**
     * Runs the suite's steps that are not JMH benchmarks.
     *
     * @return their metrics, with an error for any that could not be measured.
     */
    List<Metric> runSteps();

    /**
     * @return a line about the environment for the printed report, or null.
     */
    String describe();

    /**
     * Stops whatever the environment started. Must not throw.
     */
    @Override
    void close();
}
