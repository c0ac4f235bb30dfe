package io.farline.property.harness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedsTest
{
    @Test
    void shouldParseDecimalAndHexWhenSurroundedByBlanks()
    {
        assertEquals(-42L, Seeds.parse(" -42 "));
        assertEquals(0xCAFEL, Seeds.parse("0xCAFE"));
    }

    @Test
    void shouldNameThePropertyWhenTheSeedIsNotALong()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Seeds.parse("seven"));
        assertTrue(ex.getMessage().contains(PropertyRunner.SEED_PROPERTY), ex.getMessage());
    }

    @Test
    void shouldDeriveTheBaseItselfForStreamZeroAndMixedSeedsForOthers()
    {
        assertEquals(123L, Seeds.derive(123L, 0));
        assertNotEquals(Seeds.derive(123L, 1), Seeds.derive(123L, 2));
        assertEquals(PropertyRunner.trialSeed(123L, 5), Seeds.derive(123L, 5));
    }

    @Test
    void shouldReplayWithTheSeedPropertyWhenAskedForTheFlag()
    {
        assertEquals("-D" + PropertyRunner.SEED_PROPERTY + "=77", Seeds.replayFlag(77L));
    }
}
