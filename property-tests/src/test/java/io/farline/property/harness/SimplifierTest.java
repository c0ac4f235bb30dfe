package io.farline.property.harness;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimplifierTest
{
    @Test
    void shouldProposeTargetThenHalvesWhenShrinkingTowardsTarget()
    {
        assertEquals(List.of(0L, 50L, 75L, 88L, 94L, 97L, 99L), Simplifier.towards(100L, 0L));
        assertEquals(List.of(0L, -3L, -4L), Simplifier.towards(-5L, 0L));
        assertEquals(List.of(1, 5, 7, 8), Simplifier.towards(9, 1));
    }

    @Test
    void shouldProposeNothingWhenValueIsTheTarget()
    {
        assertEquals(List.of(), Simplifier.towards(7L, 7L));
        assertEquals(List.of(), Simplifier.<String>none().simpler("anything"));
    }

    @Test
    void shouldStayBetweenValueAndTargetWhenDistanceOverflows()
    {
        for (final long[] pair : new long[][]{ { Long.MIN_VALUE, 1 }, { Long.MAX_VALUE, -1 }, { Long.MIN_VALUE, 0 } })
        {
            final List<Long> candidates = Simplifier.towards(pair[0], pair[1]);
            assertEquals(pair[1], candidates.get(0));
            assertFalse(candidates.contains(pair[0]), "never proposes the value itself: " + candidates);
            for (final long candidate : candidates.subList(1, candidates.size()))
            {
                assertTrue(Long.signum(candidate) != -Long.signum(pair[0]), candidate + " overshot the target");
            }
        }
    }
}
