package io.farline.property.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Draws a value from a seeded random source. The value must depend only on what the source returns, so that a seed
 * replays it.
 *
 * @param <T> the type of value drawn.
 */
@FunctionalInterface
public interface Gen<T>
{
    /**
     * @param random the source; the only source of randomness a generator may use.
     * @return a value.
     */
    T next(SplittableRandom random);

    /**
     * @param mapper applied to each value drawn.
     * @param <R>    the mapped type.
     * @return a generator of mapped values.
     */
    default <R> Gen<R> map(final Function<? super T, ? extends R> mapper)
    {
        return random -> mapper.apply(next(random));
    }

    /**
     * @param element draws each element.
     * @param minSize fewest elements, at least 0.
     * @param maxSize most elements, at least {@code minSize}.
     * @param <T>     the element type.
     * @return a generator of unmodifiable lists, of a size drawn uniformly from {@code minSize..maxSize}.
     */
    static <T> Gen<List<T>> listOf(final Gen<T> element, final int minSize, final int maxSize)
    {
        if (minSize < 0 || maxSize < minSize)
        {
            throw new IllegalArgumentException("list sizes " + minSize + ".." + maxSize + " are not a valid range");
        }
        return random ->
        {
            final int size = random.nextInt(minSize, maxSize + 1);
            final List<T> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++)
            {
                list.add(element.next(random));
            }
            return Collections.unmodifiableList(list);
        };
    }

    /**
     * @param values to pick from; not empty.
     * @param <T>    the type of value.
     * @return a generator picking one of the values uniformly.
     */
    static <T> Gen<T> elementOf(final List<T> values)
    {
        if (values.isEmpty())
        {
            throw new IllegalArgumentException("no values to pick from");
        }
        final List<T> copy = List.copyOf(values);
        return random -> copy.get(random.nextInt(copy.size()));
    }
}
