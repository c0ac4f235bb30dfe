package io.farline.property.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * Proposes simpler versions of a value, for the {@link Shrinker}. Every candidate must be strictly simpler than the
 * value by some measure that cannot decrease forever (e.g. the distance of each field to its simplest value), so that
 * shrinking ends.
 *
 * @param <T> the type of value simplified.
 */
@FunctionalInterface
public interface Simplifier<T>
{
    /**
     * @param value to simplify.
     * @return simpler candidates, the simplest first; empty when the value is as simple as it gets.
     */
    List<T> simpler(T value);

    /**
     * @param <T> the type of value.
     * @return a simplifier that proposes nothing: only removing actions shrinks.
     */
    static <T> Simplifier<T> none()
    {
        return value -> List.of();
    }

    /**
     * Candidates between {@code value} and {@code target}: the target first, then halfway, then ever closer to the
     * value, ending one step from it. Repeated use therefore converges on the simplest failing value in logarithmic
     * steps.
     *
     * @param value  the current value.
     * @param target the simplest value.
     * @return candidates, nearest the target first; empty if {@code value == target}.
     */
    static List<Long> towards(final long value, final long target)
    {
        final List<Long> candidates = new ArrayList<>();
        if (value == target)
        {
            return candidates;
        }
        candidates.add(target);
        final long distance = value - target;
        final boolean overflowed = (value ^ target) < 0 && (value ^ distance) < 0;
        // With extreme values the distance overflows; halving the value itself still heads for zero.
        final long span = overflowed ? value : distance;
        for (long step = span / 2; step != 0; step /= 2)
        {
            final long candidate = value - step;
            if (candidate != target)
            {
                candidates.add(candidate);
            }
        }
        return candidates;
    }

    /**
     * @param value  the current value.
     * @param target the simplest value.
     * @return as {@link #towards(long, long)}, for ints.
     */
    static List<Integer> towards(final int value, final int target)
    {
        final List<Integer> candidates = new ArrayList<>();
        for (final long candidate : towards((long)value, (long)target))
        {
            candidates.add((int)candidate);
        }
        return candidates;
    }
}
