package io.farline.property.harness;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShrinkerTest
{
    private static final Simplifier<Integer> TOWARDS_ZERO = value -> Simplifier.towards(value, 0);

    @Test
    void shouldRemoveActionsWhenFailureDoesNotNeedThem()
    {
        final Property<Integer> failsOnSeven = actions -> assertTrue(!actions.contains(7), "contains 7");
        final List<Integer> failing = List.of(1, 2, 3, 7, 4, 5, 6, 8, 9);

        final Shrinker.Shrunk<Integer> shrunk =
            new Shrinker<>(failsOnSeven, Simplifier.none(), 1000).shrink(failing, failsOnSeven.failureOf(failing));

        assertEquals(List.of(7), shrunk.actions());
        assertInstanceOf(AssertionError.class, shrunk.failure());
    }

    @Test
    void shouldSimplifyValuesWhenFailurePersists()
    {
        final Property<Integer> failsOnLargeSum =
            actions -> assertTrue(actions.stream().mapToInt(Integer::intValue).sum() < 100, "sum >= 100");
        final List<Integer> failing = List.of(40, 3000, 17, 5, 999, 60);

        final Shrinker.Shrunk<Integer> shrunk =
            new Shrinker<>(failsOnLargeSum, TOWARDS_ZERO, 1000).shrink(failing, failsOnLargeSum.failureOf(failing));

        assertEquals(List.of(100), shrunk.actions());
    }

    @Test
    void shouldKeepFailingTheSameWayWhenShrinking()
    {
        final Property<Integer> twoBugs = actions ->
        {
            if (actions.contains(3))
            {
                throw new IllegalStateException("another bug, on 3");
            }
            assertTrue(!actions.contains(7), "contains 7");
        };
        final List<Integer> failing = List.of(3, 7, 3);

        final Shrinker.Shrunk<Integer> shrunk =
            new Shrinker<>(twoBugs, TOWARDS_ZERO, 1000).shrink(failing, twoBugs.failureOf(failing));

        assertInstanceOf(IllegalStateException.class, shrunk.failure(), "the original failure is kept");
        assertEquals(List.of(3), shrunk.actions());
    }

    @Test
    void shouldStopWhenRunBudgetIsSpent()
    {
        final Property<Integer> failsOnLargeSum =
            actions -> assertTrue(actions.stream().mapToInt(Integer::intValue).sum() < 100, "sum >= 100");
        final List<Integer> failing = List.of(40, 3000, 17, 5, 999, 60);

        final Shrinker.Shrunk<Integer> shrunk =
            new Shrinker<>(failsOnLargeSum, TOWARDS_ZERO, 3).shrink(failing, failsOnLargeSum.failureOf(failing));

        assertEquals(3, shrunk.runs());
        assertEquals(List.of(999, 60), shrunk.actions(), "kept what it found within the budget");
        assertInstanceOf(AssertionError.class, failsOnLargeSum.failureOf(shrunk.actions()));
    }
}
