package io.farline.bench;

import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How {@link BenchmarkRunner} runs a suite: fork and iteration counts and times, which benchmarks, where results go.
 * Built from defaults (those of the benchmarks' annotations), then {@code --quick}, then system properties
 * ({@code -Dfarline.bench.*}), then command-line arguments; a later source overrides an earlier one.
 */
final class RunSettings
{
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: java -jar bench/target/benchmarks.jar [options]",
        "  --quick                      smoke test: " + BenchmarkRunner.QUICK_FORKS + " forks, " +
            BenchmarkRunner.QUICK_WARMUP_ITERATIONS + " x " + BenchmarkRunner.QUICK_ITERATION_TIME_MS +
            " ms warm-up, " + BenchmarkRunner.QUICK_MEASUREMENT_ITERATIONS + " x " +
            BenchmarkRunner.QUICK_ITERATION_TIME_MS + " ms measurement (-Dfarline.bench.quick=true)",
        "  -f,  --forks N               forks per benchmark (-Dfarline.bench.forks), default " +
            BenchmarkRunner.FORKS,
        "  -wi, --warmup-iterations N   (-Dfarline.bench.warmupIterations), default " +
            BenchmarkRunner.WARMUP_ITERATIONS,
        "  -w,  --warmup-time T         e.g. 1s, 500ms (-Dfarline.bench.warmupTime), default " +
            BenchmarkRunner.ITERATION_TIME_MS + "ms",
        "  -i,  --iterations N          measurement iterations (-Dfarline.bench.iterations), default " +
            BenchmarkRunner.MEASUREMENT_ITERATIONS,
        "  -r,  --time T                measurement iteration time (-Dfarline.bench.time), default " +
            BenchmarkRunner.ITERATION_TIME_MS + "ms",
        "  --interleave                 run the forks as rounds of the whole suite (one fork of each benchmark",
        "                               per round), so slow drifts of a shared machine hit subject and baseline",
        "                               alike (-Dfarline.bench.interleave=true)",
        "  --include REGEX              only benchmarks matching (repeatable; -Dfarline.bench.include=A,B);",
        "                               a partial run prints its ratios but writes no results file",
        "  --prof NAME                  add a JMH profiler, e.g. gc (repeatable)",
        "  --results DIR                where transport.json goes (-Dfarline.bench.results), default the",
        "                               repository's bench/results",
        "  -h,  --help                  this text");

    private static final String PROPERTY_PREFIX = "farline.bench.";

    int forks = BenchmarkRunner.FORKS;
    int warmupIterations = BenchmarkRunner.WARMUP_ITERATIONS;
    TimeValue warmupTime = TimeValue.milliseconds(BenchmarkRunner.ITERATION_TIME_MS);
    int measurementIterations = BenchmarkRunner.MEASUREMENT_ITERATIONS;
    TimeValue measurementTime = TimeValue.milliseconds(BenchmarkRunner.ITERATION_TIME_MS);
    boolean quick;
    boolean interleave;
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
        if (Boolean.getBoolean(PROPERTY_PREFIX + "quick") || Arrays.asList(args).contains("--quick"))
        {
            settings.quick();
        }
        settings.applyProperties();
        settings.applyArguments(args);
        return settings;
    }

    String describe()
    {
        return forks + (interleave ? " forks (interleaved rounds)" : " forks") + ", warm-up " + warmupIterations +
            " x " + warmupTime + ", measurement " + measurementIterations + " x " + measurementTime;
    }

    private void quick()
    {
        quick = true;
        forks = BenchmarkRunner.QUICK_FORKS;
        warmupIterations = BenchmarkRunner.QUICK_WARMUP_ITERATIONS;
        warmupTime = TimeValue.milliseconds(BenchmarkRunner.QUICK_ITERATION_TIME_MS);
        measurementIterations = BenchmarkRunner.QUICK_MEASUREMENT_ITERATIONS;
        measurementTime = TimeValue.milliseconds(BenchmarkRunner.QUICK_ITERATION_TIME_MS);
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
        interleave = Boolean.getBoolean(PROPERTY_PREFIX + "interleave");
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
                case "-h":
                case "--help":
                    help = true;
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
