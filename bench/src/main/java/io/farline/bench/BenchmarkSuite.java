package io.farline.bench;

import io.farline.bench.SuiteMetrics.Pending;
import io.farline.bench.SuiteMetrics.Spec;
import io.farline.core.internal.ProcessWideBarrier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The suites {@link BenchmarkRunner} runs, each written to {@code bench/results/<id>.json}: its benchmark classes, its
 * metrics, how it is run by default, and what it needs around its benchmarks (processes, steps outside JMH).
 */
enum BenchmarkSuite
{
    /** One-sided and two-sided transport against raw Agrona copies, atomics and rings. */
    TRANSPORT(TransportMetrics.SUITE, TransportMetrics.CLASSES, TransportMetrics.SPECS, List.of(),
        BenchmarkRunner.ITERATION_TIME_MS, false, List.of(), () -> SuiteEnvironment.NONE),
    /**
     * Dirty tracking against raw {@code UnsafeBuffer} stores. Interleaved by default: its metrics are medians of
     * per-fork ratios, and a round runs fork {@code i} of subject and baseline within seconds of each other.
     */
    TRACKING(TrackingMetrics.SUITE, TrackingMetrics.CLASSES, TrackingMetrics.SPECS, TrackingMetrics.PENDING,
        BenchmarkRunner.TRACKING_ITERATION_TIME_MS, true, List.of(), () -> SuiteEnvironment.NONE),
    /**
     * Far memory over a pool of memory hosts in child JVMs, started once for the suite ({@link FarMemoryEnvironment});
     * its count metrics come from a step outside JMH ({@link FarMemoryCountsMain}), its timings from JMH.
     */
    FARMEMORY(FarMemoryMetrics.SUITE, FarMemoryMetrics.CLASSES, FarMemoryMetrics.SPECS, List.of(),
        BenchmarkRunner.FARMEMORY_ITERATION_TIME_MS, false, List.of(FarMemoryCountsMain.STEP_NAME),
        FarMemoryEnvironment::start),
    /**
     * Erasure coding of stripes: XOR parity against a plain copy, Reed-Solomon encode and decode throughput on one
     * core. Interleaved by default: its ratio is a median of per-fork ratios. Then far memory with parity over memory
     * hosts in child JVMs, hosts killed ({@link ResilienceEnvironment}, a step outside JMH).
     */
    RESILIENCE(ResilienceMetrics.SUITE, ResilienceMetrics.CLASSES, ResilienceMetrics.SPECS, List.of(),
        BenchmarkRunner.RESILIENCE_ITERATION_TIME_MS, true, List.of(ResilienceTrialMain.STEP_NAME),
        ResilienceEnvironment::start);

    /** The value of {@code --suite} that selects every suite. */
    static final String ALL = "all";

    private final String id;
    private final List<Class<?>> classes;
    private final List<Spec> specs;
    private final List<Pending> pending;
    private final int iterationTimeMs;
    private final boolean interleaveByDefault;
    private final List<String> stepNames;
    private final Supplier<SuiteEnvironment> environment;

    BenchmarkSuite(final String id, final List<Class<?>> classes, final List<Spec> specs,
        final List<Pending> pending, final int iterationTimeMs, final boolean interleaveByDefault,
        final List<String> stepNames, final Supplier<SuiteEnvironment> environment)
    {
        this.id = id;
        this.classes = classes;
        this.specs = specs;
        this.pending = pending;
        this.iterationTimeMs = iterationTimeMs;
        this.interleaveByDefault = interleaveByDefault;
        this.stepNames = stepNames;
        this.environment = environment;
    }

    /**
     * @return the suite's name, in {@code --suite} and in its results file's name and {@code "suite"} field.
     */
    String id()
    {
        return id;
    }

    List<Class<?>> classes()
    {
        return classes;
    }

    List<Spec> specs()
    {
        return specs;
    }

    List<Pending> pending()
    {
        return pending;
    }

    /**
     * @return the default length of a warm-up or measurement iteration, that of the classes' annotations.
     */
    int iterationTimeMs()
    {
        return iterationTimeMs;
    }

    /**
     * @return whether the forks run as interleaved rounds unless {@code --no-interleave} says otherwise.
     */
    boolean interleaveByDefault()
    {
        return interleaveByDefault;
    }

    /**
     * Starts what the suite needs around its benchmarks; the caller closes it.
     *
     * @return the environment, {@link SuiteEnvironment#NONE} for a suite that needs none.
     */
    SuiteEnvironment startEnvironment()
    {
        return environment.get();
    }

    /**
     * @return the names of the suite's steps that run outside JMH, as {@code --include} matches them.
     */
    List<String> stepNames()
    {
        return stepNames;
    }

    /**
     * Whether a run includes the suite's steps outside JMH: a whole-suite run does, a run of one benchmark class does
     * not, and a run picked by regexes does if one of them finds a step's name.
     *
     * @param onlyClasses the suite's classes to run, or empty for all of them.
     * @param regexes     the user's {@code --include} patterns, or empty.
     * @return true if the steps run.
     */
    boolean runsSteps(final List<Class<?>> onlyClasses, final List<String> regexes)
    {
        if (!onlyClasses.isEmpty() || stepNames.isEmpty())
        {
            return false;
        }
        if (regexes.isEmpty())
        {
            return true;
        }
        for (final String regex : regexes)
        {
            final Pattern pattern = Pattern.compile(regex);
            for (final String name : stepNames)
            {
                if (pattern.matcher(name).find())
                {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @return a line about the conditions of the run that the figures depend on, or null.
     */
    String conditions()
    {
        if (this != TRACKING)
        {
            return null;
        }
        return ProcessWideBarrier.isAvailable() ?
            "process-wide barrier: available (tracked stores do not fence)" :
            "process-wide barrier UNAVAILABLE (" + ProcessWideBarrier.unavailableReason() + "): every tracked " +
            "store fences, the figures are not those of the fast path";
    }

    /**
     * @param value {@code transport}, {@code tracking}, {@code farmemory}, {@code resilience} or
     *              {@code all}, in any case.
     * @return the suites it names, in run order.
     * @throws IllegalArgumentException if it names none.
     */
    static List<BenchmarkSuite> parse(final String value)
    {
        final String name = value.trim().toLowerCase(Locale.ROOT);
        if (ALL.equals(name))
        {
            return List.of(values());
        }
        for (final BenchmarkSuite suite : values())
        {
            if (suite.id.equals(name))
            {
                return List.of(suite);
            }
        }
        throw new IllegalArgumentException("unknown suite '" + value + "': use " + names() + " or " + ALL);
    }

    /**
     * @return the suite's ids, comma-separated.
     */
    static String names()
    {
        final List<String> names = new ArrayList<>();
        for (final BenchmarkSuite suite : values())
        {
            names.add(suite.id);
        }
        return String.join(", ", names);
    }

    /**
     * @param benchmarkClass a benchmark class.
     * @return the suite it belongs to.
     * @throws IllegalArgumentException if it belongs to none.
     */
    static BenchmarkSuite of(final Class<?> benchmarkClass)
    {
        for (final BenchmarkSuite suite : values())
        {
            if (suite.classes.contains(benchmarkClass))
            {
                return suite;
            }
        }
        throw new IllegalArgumentException(benchmarkClass.getName() + " is in no suite");
    }

    /**
     * @return the JMH names of the suite's benchmarks: class, then method or {@code @Group}, sorted by method.
     */
    List<String> benchmarkNames()
    {
        return benchmarkNames(classes);
    }

    /**
     * The JMH include patterns that run the suite's share of a run: every benchmark of {@code onlyClasses} (all the
     * suite's classes if empty), or, when regexes are given, exactly those of their benchmarks that one of the
     * regexes finds (as JMH matches them), so that a pattern matching benchmarks of two suites runs each with its own
     * suite's settings.
     *
     * @param onlyClasses the suite's classes to run, or empty for all of them.
     * @param regexes     the user's {@code --include} patterns, or empty.
     * @return the patterns; empty if the regexes match none of the benchmarks.
     */
    List<String> includes(final List<Class<?>> onlyClasses, final List<String> regexes)
    {
        final List<Class<?>> selected = onlyClasses.isEmpty() ? classes : onlyClasses;
        final List<String> includes = new ArrayList<>();
        if (regexes.isEmpty())
        {
            for (final Class<?> benchmarkClass : selected)
            {
                includes.add("^" + Pattern.quote(benchmarkClass.getName()) + "\\.");
            }
            return includes;
        }
        final List<Pattern> patterns = new ArrayList<>();
        for (final String regex : regexes)
        {
            patterns.add(Pattern.compile(regex));
        }
        for (final String name : benchmarkNames(selected))
        {
            for (final Pattern pattern : patterns)
            {
                if (pattern.matcher(name).find())
                {
                    includes.add("^" + Pattern.quote(name) + "$");
                    break;
                }
            }
        }
        return includes;
    }

    private static List<String> benchmarkNames(final List<Class<?>> benchmarkClasses)
    {
        final Set<String> names = new LinkedHashSet<>();
        for (final Class<?> benchmarkClass : benchmarkClasses)
        {
            final Method[] methods = benchmarkClass.getMethods();
            Arrays.sort(methods, Comparator.comparing(Method::getName));
            for (final Method method : methods)
            {
                if (method.isAnnotationPresent(Benchmark.class))
                {
                    final Group group = method.getAnnotation(Group.class);
                    names.add(SuiteMetrics.key(benchmarkClass, null == group ? method.getName() : group.value()));
                }
            }
        }
        return new ArrayList<>(names);
    }
}
