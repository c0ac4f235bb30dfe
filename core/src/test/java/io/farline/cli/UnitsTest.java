package io.farline.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitsTest
{
    @Test
    void shouldParseSizesInTheFormsTheHelpShows()
    {
        assertEquals(4096, Units.parseBytes("4096", "--donate"));
        assertEquals(64, Units.parseBytes("64B", "--donate"));
        assertEquals(64L << 10, Units.parseBytes("64KiB", "--donate"));
        assertEquals(64L << 20, Units.parseBytes("64MiB", "--donate"));
        assertEquals(64L << 20, Units.parseBytes("64m", "--donate"));
        assertEquals(1L << 30, Units.parseBytes("1GiB", "--donate"));
    }

    @Test
    void shouldRefuseWhatIsNotASizeNamingTheOption()
    {
        for (final String bad : new String[]{"", "MiB", "12XiB", "-4k", "lots"})
        {
            final UsageException ex = assertThrows(UsageException.class, () -> Units.parseBytes(bad, "--chunk"),
                bad);
            assertTrue(ex.getMessage().startsWith("--chunk '" + bad + "' is not a size"), ex.getMessage());
        }
    }
}
