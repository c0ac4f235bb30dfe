package io.farline.property.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Shrinks a failing sequence of actions while it keeps failing the same way: first it removes chunks of actions
 * (halves, quarters, ... single actions), then it replaces single actions by simpler ones that the
 * {@link Simplifier} proposes, and repeats both until neither makes progress or the run budget is spent.
 * <p>
 * "The same way" means the failure has the same exception class, and the same class of cause, as the original; a
 * candidate that fails differently (say an assertion became an exception) is a different bug and is not kept.
 *
 * @param <T> the type of action.
 */
public final class Shrinker<T>
{
    private final Property<T> property;
    private final Simplifier<T> simplifier;
    private final int maxRuns;
    private List<T> current;
    private Throwable currentFailure;
    private int runs;
    private int steps;

    /**
     * @param property   the failing property; it is re-run on each candidate.
     * @param simplifier proposes simpler actions.
     * @param maxRuns    most runs of the property spent on shrinking.
     */
    public Shrinker(final Property<T> property, final Simplifier<T> simplifier, final int maxRuns)
    {
        this.property = Objects.requireNonNull(property, "property");
        this.simplifier = Objects.requireNonNull(simplifier, "simplifier");
        if (maxRuns < 0)
        {
            throw new IllegalArgumentException("maxRuns " + maxRuns + " is negative");
        }
        this.maxRuns = maxRuns;
    }

    /**
     * The outcome of shrinking.
     *
     * @param actions the shrunk sequence; it fails.
     * @param failure how it fails.
     * @param steps   accepted removals and simplifications.
     * @param runs    runs of the property spent.
     * @param <T>     the type of action.
     */
    public record Shrunk<T>(List<T> actions, Throwable failure, int steps, int runs)
    {
    }

    /**
     * @param failing actions on which the property fails.
     * @param failure how it fails on them.
     * @return the smallest failing sequence found.
     */
    public Shrunk<T> shrink(final List<T> failing, final Throwable failure)
    {
        current = List.copyOf(failing);
        currentFailure = Objects.requireNonNull(failure, "failure");
        runs = 0;
        steps = 0;
        boolean progress = true;
        while (progress && runs < maxRuns)
        {
            final boolean removed = removeChunks();
            final boolean simplified = simplifyActions();
            progress = removed || simplified;
        }
        return new Shrunk<>(current, currentFailure, steps, runs);
    }

    private boolean removeChunks()
    {
        boolean progress = false;
        for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2)
        {
            int start = 0;
            while (start + chunk <= current.size() && runs < maxRuns)
            {
                final List<T> candidate = new ArrayList<>(current.subList(0, start));
                candidate.addAll(current.subList(start + chunk, current.size()));
                if (accept(candidate))
                {
                    progress = true;
                }
                else
                {
                    start += chunk;
                }
            }
        }
        return progress;
    }

    private boolean simplifyActions()
    {
        boolean progress = false;
        for (int i = 0; i < current.size() && runs < maxRuns; i++)
        {
            boolean simplified = true;
            while (simplified && runs < maxRuns)
            {
                simplified = false;
                for (final T simpler : simplifier.simpler(current.get(i)))
                {
                    if (runs >= maxRuns)
                    {
                        break;
                    }
                    final List<T> candidate = new ArrayList<>(current);
                    candidate.set(i, simpler);
                    if (accept(candidate))
                    {
                        simplified = true;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return progress;
    }

    private boolean accept(final List<T> candidate)
    {
        runs++;
        final Throwable failure = property.failureOf(candidate);
        if (null != failure && sameKind(failure, currentFailure))
        {
            current = List.copyOf(candidate);
            currentFailure = failure;
            steps++;
            return true;
        }
        return false;
    }

    private static boolean sameKind(final Throwable a, final Throwable b)
    {
        if (a.getClass() != b.getClass())
        {
            return false;
        }
        final Throwable causeA = a.getCause();
        final Throwable causeB = b.getCause();
        return null == causeA ? null == causeB : null != causeB && causeA.getClass() == causeB.getClass();
    }
}
