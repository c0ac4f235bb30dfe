package io.farline.property.harness;

import java.util.List;

/**
 * The outcome of a {@link PropertyRunner} run: passed, or the first failing trial with its seed, the actions it drew
 * and the shrunk sequence that still fails. {@link #report()} is what a developer needs to replay the failure.
 *
 * @param <T> the type of action.
 */
public final class PropertyResult<T>
{
    private final String name;
    /** {@code TestClass#method} that ran the property, for the replay command. */
    private final String testSelector;
    private final long baseSeed;
    private final int trials;
    private final int failingTrial;
    private final long trialSeed;
    private final List<T> original;
    private final Shrinker.Shrunk<T> shrunk;

    private PropertyResult(final String name, final String testSelector, final long baseSeed, final int trials,
        final int failingTrial, final long trialSeed, final List<T> original, final Shrinker.Shrunk<T> shrunk)
    {
        this.name = name;
        this.testSelector = testSelector;
        this.baseSeed = baseSeed;
        this.trials = trials;
        this.failingTrial = failingTrial;
        this.trialSeed = trialSeed;
        this.original = original;
        this.shrunk = shrunk;
    }

    static <T> PropertyResult<T> passed(final String name, final long baseSeed, final int trials)
    {
        return new PropertyResult<>(name, name, baseSeed, trials, -1, 0, null, null);
    }

    static <T> PropertyResult<T> failed(final String name, final String testSelector, final long baseSeed,
        final int trials, final int failingTrial, final long trialSeed, final List<T> original,
        final Shrinker.Shrunk<T> shrunk)
    {
        return new PropertyResult<>(name, testSelector, baseSeed, trials, failingTrial, trialSeed,
            List.copyOf(original), shrunk);
    }

    /**
     * @return true if every trial passed.
     */
    public boolean passed()
    {
        return null == shrunk;
    }

    /**
     * @return the property's name, {@code TestClass#method}.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return the base seed the trial seeds were derived from.
     */
    public long baseSeed()
    {
        return baseSeed;
    }

    /**
     * @return the trials the run was to make.
     */
    public int trials()
    {
        return trials;
    }

    /**
     * @return index of the failing trial, or -1 if passed.
     */
    public int failingTrial()
    {
        return failingTrial;
    }

    /**
     * @return the seed of the failing trial: passed as the base seed with one trial, it replays the failure.
     */
    public long trialSeed()
    {
        requireFailed();
        return trialSeed;
    }

    /**
     * @return the actions the failing trial drew.
     */
    public List<T> original()
    {
        requireFailed();
        return original;
    }

    /**
     * @return the shrunk failing actions.
     */
    public List<T> shrunk()
    {
        requireFailed();
        return shrunk.actions();
    }

    /**
     * @return how the shrunk actions fail.
     */
    public Throwable failure()
    {
        requireFailed();
        return shrunk.failure();
    }

    /**
     * @return a one-line summary if passed; else the seed, the flags that replay the failure, the shrunk actions and
     * the failure.
     */
    public String report()
    {
        if (passed())
        {
            return name + ": " + trials + " trials passed (base seed " + baseSeed + ", replay with -D" +
                PropertyRunner.SEED_PROPERTY + "=" + baseSeed + ")";
        }
        final String replay = "-D" + PropertyRunner.SEED_PROPERTY + "=" + trialSeed + " -D" +
            PropertyRunner.TRIALS_PROPERTY + "=1";
        final StringBuilder sb = new StringBuilder();
        sb.append("Property ").append(name).append(" failed on trial ").append(failingTrial).append(" of ")
            .append(trials).append(" (base seed ").append(baseSeed).append(").\n");
        sb.append("Replay with: ").append(replay).append('\n');
        sb.append("  e.g. mvn -B -pl property-tests -am verify -Dsurefire.failIfNoSpecifiedTests=false -Dtest='")
            .append(testSelector).append("' ").append(replay).append('\n');
        sb.append("Shrunk from ").append(original.size()).append(" to ").append(shrunk.actions().size())
            .append(" actions (").append(shrunk.steps()).append(" steps, ").append(shrunk.runs())
            .append(" runs):\n");
        for (int i = 0; i < shrunk.actions().size(); i++)
        {
            sb.append(String.format("  %3d. %s%n", i + 1, shrunk.actions().get(i)));
        }
        sb.append("Failure of the shrunk actions: ").append(shrunk.failure());
        return sb.toString();
    }

    /**
     * @throws AssertionError with the {@link #report()} and the shrunk failure as cause, unless passed.
     */
    public void assertPassed()
    {
        if (!passed())
        {
            throw new AssertionError(report(), shrunk.failure());
        }
    }

    private void requireFailed()
    {
        if (passed())
        {
            throw new IllegalStateException(name + " passed: there is no failing trial");
        }
    }

    @Override
    public String toString()
    {
        return passed() ? report() : "PropertyResult{" + name + " failed on trial " + failingTrial + '}';
    }
}
