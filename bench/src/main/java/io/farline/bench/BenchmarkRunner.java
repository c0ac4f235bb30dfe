package io.farline.bench;

import io.farline.transport.JvmFlags;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a suite of benchmarks ({@link BenchmarkSuite}: transport by default, tracking, farmemory, resilience, or
 * all) with the JMH Runner API and writes {@code bench/results/<suite>.json}: for each metric the median over forks
 * of the subject and of the baseline (each fork's primary score, its p50 for sample-time benchmarks, its
 * {@code sent} counter for producer/consumer groups), their ratio (or the median of per-fork ratios, see
 * {@link SuiteMetrics.Spec}), and whether it meets the goal. A suite's environment ({@link SuiteEnvironment}) is
 * started before its benchmarks and stopped after them: the processes they share across forks, and steps measured
 * outside JMH.
 * <p>
 * The forks get the JVM flags Farline needs from their one definition, {@link JvmFlags#forThisJvm()} (annotations
 * need constants, so they cannot name them), plus {@code -Dagrona.disable.bounds.checks=true} and the environment's
 * arguments. Fork and iteration defaults below are those of the benchmarks' annotations; see
 * {@link RunSettings#USAGE} for the overrides.
 */
public final class BenchmarkRunner
{
    /** Forks per benchmark; each metric is a median over them. */
    public static final int FORKS = 5;
    /** Warm-up iterations per fork. */
    public static final int WARMUP_ITERATIONS = 3;
    /** Measurement iterations per fork. */
    public static final int MEASUREMENT_ITERATIONS = 5;
    /** Length of each warm-up and measurement iteration of the transport suite. */
    public static final int ITERATION_TIME_MS = 1000;
    /**
     * Length of each warm-up and measurement iteration of the tracking suite: its benchmarks are in-process and
     * steady within a fraction of a second, and eight of them at five forks must fit in a few minutes.
     */
    public static final int TRACKING_ITERATION_TIME_MS = 500;
    /**
     * Length of each warm-up and measurement iteration of the farmemory suite: a miss takes microseconds, so half a
     * second holds a hundred thousand samples, and seven benchmarks at five forks must fit in about five minutes.
     */
    public static final int FARMEMORY_ITERATION_TIME_MS = 500;
    /** Length of each warm-up and measurement iteration of the resilience suite: a stripe codes in microseconds. */
    public static final int RESILIENCE_ITERATION_TIME_MS = 500;

    static final int QUICK_FORKS = 2;
    static final int QUICK_WARMUP_ITERATIONS = 1;
    static final int QUICK_MEASUREMENT_ITERATIONS = 2;
    static final int QUICK_ITERATION_TIME_MS = 500;

    /** Benchmarks' iterations that outlast their time by this much are interrupted: a hung peer fails, not hangs. */
    private static final TimeValue ITERATION_TIMEOUT = TimeValue.seconds(60);
    private static final String BOUNDS_CHECKS_OFF = "-D" + BenchNodes.AGRONA_BOUNDS_CHECKS_PROPERTY + "=true";

    private BenchmarkRunner()
    {
    }

    /**
     * Runs the selected suites (the transport suite unless {@code --suite} says otherwise) and writes their results
     * files.
     *
     * @param args options; {@code --help} lists them.
     */
    public static void main(final String[] args)
    {
        System.exit(run(null, args));
    }

    /**
     * Runs one benchmark class's benchmarks (a benchmark's {@code main()}) with its suite's settings; prints the
     * ratios it can compute but writes no results file, which only a whole-suite run may replace.
     *
     * @param benchmarkClass the class.
     * @param args           options, as for {@link #main}.
     */
    public static void runClass(final Class<?> benchmarkClass, final String[] args)
    {
        System.exit(run(benchmarkClass, args));
    }

    /**
     * @return the JVM arguments every fork gets: Farline's flags and the benchmarks' bounds-check switch.
     */
    public static List<String> forkJvmArgs()
    {
        final List<String> args = new ArrayList<>(JvmFlags.forThisJvm());
        args.add(BOUNDS_CHECKS_OFF);
        return args;
    }

    private static int run(final Class<?> onlyClass, final String[] args)
    {
        final RunSettings settings;
        try
        {
            settings = RunSettings.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.err.println(RunSettings.USAGE);
            return 2;
        }
        if (settings.help)
        {
            System.out.println(RunSettings.USAGE);
            return 0;
        }

        final List<BenchmarkSuite> suites = null == onlyClass ?
            settings.suites() : List.of(BenchmarkSuite.of(onlyClass));
        final List<Class<?>> onlyClasses = null == onlyClass ? List.of() : List.of(onlyClass);
        final boolean wholeSuite = null == onlyClass && settings.includes.isEmpty();
        final Path resultsDirectory = null != settings.resultsDirectory ?
            settings.resultsDirectory.toAbsolutePath() : ResultsReport.defaultResultsDirectory();

        int status = -1;
        for (final BenchmarkSuite suite : suites)
        {
            final List<String> includes = suite.includes(onlyClasses, settings.includes);
            final boolean runSteps = suite.runsSteps(onlyClasses, settings.includes);
            if (!includes.isEmpty() || runSteps)
            {
                status = Math.max(status,
                    runSuite(suite, settings, includes, runSteps, wholeSuite, resultsDirectory));
            }
        }
        if (status < 0)
        {
            final List<String> suiteIds = new ArrayList<>();
            for (final BenchmarkSuite suite : suites)
            {
                suiteIds.add(suite.id());
            }
            System.err.println("no benchmark of the suite(s) " + suiteIds + " matches " + settings.includes);
            return 2;
        }
        return status;
    }

    /**
     * Runs one suite, or the part of it that {@code includes} and {@code runSteps} pick, inside its environment
     * (stopped whatever happens), prints its metrics and, for a whole suite, writes its results file.
     *
     * @return 0 if every metric has a value, else 1.
     */
    private static int runSuite(final BenchmarkSuite suite, final RunSettings settings, final List<String> includes,
        final boolean runSteps, final boolean wholeSuite, final Path resultsDirectory)
    {
        final long startNs = System.nanoTime();
        final Map<String, List<BenchmarkResult>> resultsByKey;
        final List<SuiteMetrics.Metric> stepMetrics;
        final String environmentLine;
        try (SuiteEnvironment environment = suite.startEnvironment())
        {
            environmentLine = environment.describe();
            stepMetrics = runSteps ? environment.runSteps() : List.of();
            resultsByKey = includes.isEmpty() ?
                new LinkedHashMap<>() : runJmh(settings, suite, includes, environment.forkJvmArgs());
        }
        catch (final RunnerException ex)
        {
            System.err.println("JMH failed: " + ex.getMessage());
            ex.printStackTrace();
            return 1;
        }
        catch (final RuntimeException ex)
        {
            System.err.println("the " + suite.id() + " suite could not run: " + ex.getMessage());
            ex.printStackTrace();
            return 1;
        }
        final long elapsedS = (System.nanoTime() - startNs) / 1_000_000_000L;

        final List<SuiteMetrics.Metric> metrics = new ArrayList<>(stepMetrics);
        for (final SuiteMetrics.Metric metric : SuiteMetrics.compute(suite.specs(), resultsByKey))
        {
            if (wholeSuite || metric.isMeasured())
            {
                metrics.add(metric);
            }
        }
        final String conditions = null == environmentLine ? suite.conditions() : null == suite.conditions() ?
            environmentLine : suite.conditions() + System.lineSeparator() + environmentLine;
        ResultsReport.printTable(System.out, "Farline " + suite.id() + " suite" +
            (settings.quick ? " (QUICK: smoke test, not for the record)" : "") + ": " + settings.describe(suite) +
            ", " + elapsedS + " s, " + ResultsReport.jdk() + ", " + MachineInfo.describe() +
            (null == conditions ? "" : System.lineSeparator() + conditions),
            metrics, wholeSuite ? suite.pending() : List.of());

        boolean complete = true;
        for (final SuiteMetrics.Metric metric : metrics)
        {
            complete &= null == metric.error();
        }
        if (wholeSuite)
        {
            final Path file = ResultsReport.writeJson(resultsDirectory, suite.id(), metrics);
            System.out.println("wrote " + file);
        }
        else
        {
            System.out.println("partial run: no results file written (only a whole-suite run replaces " +
                suite.id() + ".json)");
        }
        return complete ? 0 : 1;
    }

    /**
     * Runs JMH, all forks of a benchmark in a row or, interleaved, one round of one fork per benchmark per fork.
     *
     * @return each benchmark's per-fork results by key (full name, then {@code " name=value"} per parameter), in
     * run order (round order when interleaved).
     */
    private static Map<String, List<BenchmarkResult>> runJmh(final RunSettings settings, final BenchmarkSuite suite,
        final List<String> includes, final List<String> environmentJvmArgs)
        throws RunnerException
    {
        final List<String> jvmArgs = new ArrayList<>(forkJvmArgs());
        jvmArgs.addAll(environmentJvmArgs);
        final Map<String, List<BenchmarkResult>> resultsByKey = new LinkedHashMap<>();
        final boolean interleave = settings.interleave(suite);
        final int rounds = interleave ? settings.forks() : 1;
        for (int round = 0; round < rounds; round++)
        {
            final ChainedOptionsBuilder options = new OptionsBuilder()
                .jvmArgsAppend(jvmArgs.toArray(new String[0]))
                .forks(interleave ? 1 : settings.forks())
                .warmupIterations(settings.warmupIterations())
                .warmupTime(settings.warmupTime(suite))
                .measurementIterations(settings.measurementIterations())
                .measurementTime(settings.measurementTime(suite))
                .timeout(ITERATION_TIMEOUT)
                .shouldFailOnError(false);
            for (final String include : includes)
            {
                options.include(include);
            }
            for (final String profiler : settings.profilers)
            {
                options.addProfiler(profiler);
            }
            if (interleave)
            {
                System.out.println("# " + suite.id() + " suite: round " + (round + 1) + " of " + rounds);
            }
            final Collection<RunResult> results = new Runner(options.build()).run();
            for (final RunResult result : results)
            {
                resultsByKey.computeIfAbsent(key(result.getParams()), k -> new ArrayList<>())
                    .addAll(result.getBenchmarkResults());
            }
        }
        return resultsByKey;
    }

    private static String key(final BenchmarkParams params)
    {
        final StringBuilder key = new StringBuilder(params.getBenchmark());
        for (final String name : params.getParamsKeys())
        {
            key.append(' ').append(name).append('=').append(params.getParam(name));
        }
        return key.toString();
    }
}
