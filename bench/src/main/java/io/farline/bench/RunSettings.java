package io.farline.bench;

import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How {@link BenchmarkRunner} runs: which suites, fork and iteration counts and times, which benchmarks, where results
 * go. Each figure comes from the first of: a command-line argument, a system property ({@code -Dfarline.bench.*}),
 * {@code --quick}, the suite's default (that of its benchmarks' annotations); see the methods taking a suite.
 */
final class RunSettings
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: java -jar bench/target/benchmarks.jar [options]",
        "  --suite NAME                 " + BenchmarkSuite.names() + " or " + BenchmarkSuite.ALL +
            " (-Dfarline.bench.suite); default transport,",
        "                               or every suite with --include; each writes bench/results/<suite>.json",
        "  --quick                      smoke test: " + BenchmarkRunner.QUICK_FORKS + " forks, " +
            BenchmarkRunner.QUICK_WARMUP_ITERATIONS + " x " + BenchmarkRunner.QUICK_ITERATION_TIME_MS +
            " ms warm-up, " + BenchmarkRunner.QUICK_MEASUREMENT_ITERATIONS + " x " +
            BenchmarkRunner.QUICK_ITERATION_TIME_MS + " ms measurement (-Dfarline.bench.quick=true)",
        "  -f,  --forks N               forks per benchmark (-Dfarline.bench.forks), default " +
            BenchmarkRunner.FORKS,
        "  -wi, --warmup-iterations N   (-Dfarline.bench.warmupIterations), default " +
            BenchmarkRunner.WARMUP_ITERATIONS,
        "  -w,  --warmup-time T         e.g. 1s, 500ms (-Dfarline.bench.warmupTime), default " +
            BenchmarkSuite.TRANSPORT.iterationTimeMs() + "ms (transport), " +
            BenchmarkSuite.TRACKING.iterationTimeMs() + "ms (tracking), " + BenchmarkSuite.FARMEMORY.iterationTimeMs() +
            "ms (farmemory), " + BenchmarkSuite.RESILIENCE.iterationTimeMs() + "ms (resilience)",
        "  -i,  --iterations N          measurement iterations (-Dfarline.bench.iterations), default " +
            BenchmarkRunner.MEASUREMENT_ITERATIONS,
        "  -r,  --time T                measurement iteration time (-Dfarline.bench.time), default as -w",
        "  --interleave                 run the forks as rounds of the whole suite (one fork of each benchmark",
        "                               per round), so slow drifts of a shared machine hit subject and baseline",
        "                               alike (-Dfarline.bench.interleave=true); the tracking and",
        "                               resilience suites' default",
        "  --no-interleave              all forks of a benchmark in a row (-Dfarline.bench.interleave=false);",
        "                               the transport and farmemory suites' default",
        "  --include REGEX              only benchmarks matching (repeatable; -Dfarline.bench.include=A,B);",
        "                               a partial run prints its ratios but writes no results file",
        "  --prof NAME                  add a JMH profiler, e.g. gc (repeatable)",
        "  --results DIR                where <suite>.json goes (-Dfarline.bench.results), default the",
        "                               repository's bench/results",
        "  -h,  --help                  this text");

    private static final String PROPERTY_PREFIX = "farline.bench.";

    private Integer forks;
    private Integer warmupIterations;
    private TimeValue warmupTime;
    private Integer measurementIterations;
    private TimeValue measurementTime;
    private Boolean interleave;
    private List<BenchmarkSuite> suites;
    boolean quick;
    boolean help;
    final List<String> includes = new ArrayList<>();
    final List<String> profilers = new ArrayList<>();
    Path resultsDirectory;

    private RunSettings()
    {
    }

    /**
     * @param args command-line arguments.
     * @return the settings.
     * @throws IllegalArgumentException naming a bad argument or property.
     */
    static RunSettings parse(final String[] args)
    {
        final RunSettings settings = new RunSettings();
        settings.quick = Boolean.getBoolean(PROPERTY_PREFIX + "quick") || Arrays.asList(args).contains("--quick");
        settings.applyProperties();
        settings.applyArguments(args);
        for (final String include : settings.includes)
        {
            try
            {
                Pattern.compile(include);
            }
            catch (final PatternSyntaxException ex)
            {
                throw new IllegalArgumentException("--include '" + include + "' is not a regular expression: " +
                    ex.getDescription(), ex);
            }
        }
        return settings;
    }

    /**
     * @return the suites to run, in order: those named by {@code --suite}, else every suite when benchmarks are
     * picked by {@code --include} (each runs its matches), else the transport suite.
     */
    List<BenchmarkSuite> suites()
    {
        if (null != suites)
        {
            return suites;
        }
        return includes.isEmpty() ? List.of(BenchmarkSuite.TRANSPORT) : List.of(BenchmarkSuite.values());
    }

    int forks()
    {
        return null != forks ? forks : quick ? BenchmarkRunner.QUICK_FORKS : BenchmarkRunner.FORKS;
    }

    int warmupIterations()
    {
        return null != warmupIterations ? warmupIterations :
            quick ? BenchmarkRunner.QUICK_WARMUP_ITERATIONS : BenchmarkRunner.WARMUP_ITERATIONS;
    }

    TimeValue warmupTime(final BenchmarkSuite suite)
    {
        return null != warmupTime ? warmupTime : defaultIterationTime(suite);
    }

    int measurementIterations()
    {
        return null != measurementIterations ? measurementIterations :
            quick ? BenchmarkRunner.QUICK_MEASUREMENT_ITERATIONS : BenchmarkRunner.MEASUREMENT_ITERATIONS;
    }

    TimeValue measurementTime(final BenchmarkSuite suite)
    {
        return null != measurementTime ? measurementTime : defaultIterationTime(suite);
    }

    boolean interleave(final BenchmarkSuite suite)
    {
        return null != interleave ? interleave : suite.interleaveByDefault();
    }

    String describe(final BenchmarkSuite suite)
    {
        return forks() + (interleave(suite) ? " forks (interleaved rounds)" : " forks") + ", warm-up " +
            warmupIterations() + " x " + warmupTime(suite) + ", measurement " + measurementIterations() + " x " +
            measurementTime(suite);
    }

    private TimeValue defaultIterationTime(final BenchmarkSuite suite)
    {
        return TimeValue.milliseconds(quick ?
            Math.min(BenchmarkRunner.QUICK_ITERATION_TIME_MS, suite.iterationTimeMs()) : suite.iterationTimeMs());
    }

    private void applyProperties()
    {
        final String forksProperty = property("forks");
        if (null != forksProperty)
        {
            forks = count("-D" + PROPERTY_PREFIX + "forks", forksProperty, 1);
        }
        final String warmupIterationsProperty = property("warmupIterations");
        if (null != warmupIterationsProperty)
        {
            warmupIterations = count("-D" + PROPERTY_PREFIX + "warmupIterations", warmupIterationsProperty, 0);
        }
        final String warmupTimeProperty = property("warmupTime");
        if (null != warmupTimeProperty)
        {
            warmupTime = time("-D" + PROPERTY_PREFIX + "warmupTime", warmupTimeProperty);
        }
        final String iterationsProperty = property("iterations");
        if (null != iterationsProperty)
        {
            measurementIterations = count("-D" + PROPERTY_PREFIX + "iterations", iterationsProperty, 1);
        }
        final String timeProperty = property("time");
        if (null != timeProperty)
        {
            measurementTime = time("-D" + PROPERTY_PREFIX + "time", timeProperty);
        }
        final String interleaveProperty = property("interleave");
        if (null != interleaveProperty)
        {
            interleave = Boolean.parseBoolean(interleaveProperty);
        }
        final String suiteProperty = property("suite");
        if (null != suiteProperty)
        {
            suites = BenchmarkSuite.parse(suiteProperty);
        }
        final String includeProperty = property("include");
        if (null != includeProperty)
        {
            for (final String include : includeProperty.split(","))
            {
                if (!include.isBlank())
                {
                    includes.add(include.trim());
                }
            }
        }
        final String resultsProperty = property("results");
        if (null != resultsProperty)
        {
            resultsDirectory = Paths.get(resultsProperty);
        }
    }

    private void applyArguments(final String[] args)
    {
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--quick":
                    break;
                case "--interleave":
                    interleave = true;
                    break;
                case "--no-interleave":
                    interleave = false;
                    break;
                case "-h":
                case "--help":
                    help = true;
                    break;
                case "--suite":
                    suites = BenchmarkSuite.parse(value(args, ++i, arg));
                    break;
                case "-f":
                case "--forks":
                    forks = count(arg, value(args, ++i, arg), 1);
                    break;
                case "-wi":
                case "--warmup-iterations":
                    warmupIterations = count(arg, value(args, ++i, arg), 0);
                    break;
                case "-w":
                case "--warmup-time":
                    warmupTime = time(arg, value(args, ++i, arg));
                    break;
                case "-i":
                case "--iterations":
                    measurementIterations = count(arg, value(args, ++i, arg), 1);
                    break;
                case "-r":
                case "--time":
                    measurementTime = time(arg, value(args, ++i, arg));
                    break;
                case "--include":
                    includes.add(value(args, ++i, arg));
                    break;
                case "-prof":
                case "--prof":
                    profilers.add(value(args, ++i, arg));
                    break;
                case "--results":
                    resultsDirectory = Paths.get(value(args, ++i, arg));
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
    }

    private static String property(final String name)
    {
        final String value = System.getProperty(PROPERTY_PREFIX + name);
        return null == value || value.isBlank() ? null : value.trim();
    }

    private static String value(final String[] args, final int index, final String option)
    {
        if (index >= args.length)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int count(final String option, final String value, final int min)
    {
        final int count;
        try
        {
            count = Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " '" + value + "' is not a number", ex);
        }
        if (count < min)
        {
            throw new IllegalArgumentException(option + " " + count + " is below " + min);
        }
        return count;
    }

    /**
     * @return a time such as {@code 1s}, {@code 500ms} or {@code 2000} (ms).
     */
    private static TimeValue time(final String option, final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        try
        {
            if (text.endsWith("ms"))
            {
                return TimeValue.milliseconds(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s"))
            {
                return TimeValue.seconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            return new TimeValue(Long.parseLong(text), TimeUnit.MILLISECONDS);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " '" + value + "' is not a time such as 1s or 500ms", ex);
        }
    }
}
