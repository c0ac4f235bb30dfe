package io.farline.property.harness;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Runs a {@link Property} on a number of generated action lists, each from a seed derived from a base seed, and
 * shrinks the first failure.
 * <p>
 * The base seed is, in order: the one fixed by {@link #seed(long)}, the system property {@value #SEED_PROPERTY}
 * (decimal or 0x-hex), or a random one. The trial count is the system property {@value #TRIALS_PROPERTY}, else the
 * one set by {@link #trials(int)}, else {@value #DEFAULT_TRIALS}. Trial 0's seed is the base seed itself, so the
 * report's {@code -Dfarline.seed=<trial seed> -Dfarline.trials=1} replays the failing trial alone.
 * <p>
 * Usage, in a test method: {@code PropertyRunner.forAll(gen).simplifiedBy(simplifier).trials(200).check(prop);}.
 *
 * @param <T> the type of action.
 */
public final class PropertyRunner<T>
{
    /** System property holding the base seed. */
    public static final String SEED_PROPERTY = "farline.seed";
    /** System property holding the number of trials, overriding the property's default. */
    public static final String TRIALS_PROPERTY = "farline.trials";
    /** Trials when neither the property nor the system property says. */
    public static final int DEFAULT_TRIALS = 100;
    /** Most property runs spent on shrinking one failure. */
    public static final int DEFAULT_MAX_SHRINK_RUNS = 2000;

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final Gen<List<T>> actions;
    /** {@code TestClass#method} of the caller of {@link #forAll}: what {@code -Dtest} takes to run it again. */
    private final String testSelector;
    private String name;
    private Simplifier<T> simplifier = Simplifier.none();
    private int trials = DEFAULT_TRIALS;
    private Long fixedSeed;
    private int maxShrinkRuns = DEFAULT_MAX_SHRINK_RUNS;

    private PropertyRunner(final Gen<List<T>> actions, final String name)
    {
        this.actions = Objects.requireNonNull(actions, "actions");
        this.testSelector = name;
        this.name = name;
    }

    /**
     * @param actions draws the action list of a trial, e.g. {@link Gen#listOf}.
     * @param <T>     the type of action.
     * @return a runner named after the calling test method.
     */
    public static <T> PropertyRunner<T> forAll(final Gen<List<T>> actions)
    {
        return new PropertyRunner<>(actions, callerName());
    }

    /**
     * @param name for the report; by default {@code TestClass#method} of the caller of {@link #forAll}, which the
     *             report's replay command names whatever this says.
     * @return this.
     */
    public PropertyRunner<T> named(final String name)
    {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * @param simplifier proposes simpler actions when shrinking; by default none (only removal).
     * @return this.
     */
    public PropertyRunner<T> simplifiedBy(final Simplifier<T> simplifier)
    {
        this.simplifier = Objects.requireNonNull(simplifier, "simplifier");
        return this;
    }

    /**
     * @param trials default number of trials, at least 1; {@value #TRIALS_PROPERTY} overrides it.
     * @return this.
     */
    public PropertyRunner<T> trials(final int trials)
    {
        if (trials < 1)
        {
            throw new IllegalArgumentException("trials " + trials + " must be at least 1");
        }
        this.trials = trials;
        return this;
    }

    /**
     * @param seed base seed to use whatever {@value #SEED_PROPERTY} says; for tests of the harness itself.
     * @return this.
     */
    public PropertyRunner<T> seed(final long seed)
    {
        this.fixedSeed = seed;
        return this;
    }

    /**
     * @param maxShrinkRuns most runs of the property spent shrinking a failure.
     * @return this.
     */
    public PropertyRunner<T> maxShrinkRuns(final int maxShrinkRuns)
    {
        if (maxShrinkRuns < 0)
        {
            throw new IllegalArgumentException("maxShrinkRuns " + maxShrinkRuns + " is negative");
        }
        this.maxShrinkRuns = maxShrinkRuns;
        return this;
    }

    /**
     * Runs the trials, stopping at the first failure, which it shrinks.
     *
     * @param property to check.
     * @return the result; see {@link PropertyResult#assertPassed()}.
     */
    public PropertyResult<T> run(final Property<T> property)
    {
        final long baseSeed = baseSeed();
        final int trialCount = trialCount();
        for (int trial = 0; trial < trialCount; trial++)
        {
            final long trialSeed = trialSeed(baseSeed, trial);
            final List<T> drawn = actions.next(new SplittableRandom(trialSeed));
            final Throwable failure = property.failureOf(drawn);
            if (null != failure)
            {
                final Shrinker.Shrunk<T> shrunk =
                    new Shrinker<>(property, simplifier, maxShrinkRuns).shrink(drawn, failure);
                return PropertyResult.failed(name, testSelector, baseSeed, trialCount, trial, trialSeed, drawn,
                    shrunk);
            }
        }
        return PropertyResult.passed(name, baseSeed, trialCount);
    }

    /**
     * Runs the trials and fails the test with a replayable report if the property fails; prints a summary if not.
     *
     * @param property to check.
     * @throws AssertionError naming the seed, the replay flags and the shrunk actions.
     */
    public void check(final Property<T> property)
    {
        final PropertyResult<T> result = run(property);
        result.assertPassed();
        System.out.println(result.report());
    }

    /**
     * @param baseSeed the run's base seed.
     * @param trial    index of the trial.
     * @return the trial's seed: the base seed for trial 0, a well-mixed derivative for the others.
     */
    public static long trialSeed(final long baseSeed, final int trial)
    {
        return 0 == trial ? baseSeed : mix64(baseSeed + trial * GOLDEN_GAMMA);
    }

    private long baseSeed()
    {
        return null != fixedSeed ? fixedSeed : Seeds.base();
    }

    private int trialCount()
    {
        final String property = System.getProperty(TRIALS_PROPERTY);
        if (null != property && !property.isBlank())
        {
            try
            {
                final int count = Integer.parseInt(property.trim());
                if (count >= 1)
                {
                    return count;
                }
            }
            catch (final NumberFormatException ex)
            {
                // reported below with the value
            }
            throw new IllegalArgumentException("-D" + TRIALS_PROPERTY + "=" + property + " is not a positive int");
        }
        return trials;
    }

    /** Stafford variant 13 of the MurmurHash3 finaliser, as SplittableRandom uses. */
    private static long mix64(final long z)
    {
        long x = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    private static String callerName()
    {
        return StackWalker.getInstance().walk(frames -> frames
            .filter(frame -> !frame.getClassName().equals(PropertyRunner.class.getName()))
            .findFirst()
            .map(frame -> simpleName(frame.getClassName()) + "#" + frame.getMethodName())
            .orElse("property"));
    }

    private static String simpleName(final String className)
    {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
