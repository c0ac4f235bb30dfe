package io.farline.core;

import io.farline.transport.internal.ChildJvm;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core's entry points that take no node check the JVM flags themselves (those that take one were checked when
 * its fabric opened): without the flags, each says which flag is missing instead of failing deep inside Agrona.
 */
class JvmFlagsCoreTest
{
    @Test
    void shouldNameTheMissingFlagAtEachEntryPointWithoutANode() throws Exception
    {
        final List<String> lines = runProbe("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
        assertEquals(3, lines.size(), lines.toString());
        for (final String line : lines)
        {
            assertTrue(line.startsWith("REFUSED ") &&
                line.contains("--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"), line);
        }
    }

    @Test
    void shouldOpenEachEntryPointWithTheFlags() throws Exception
    {
        assertEquals(List.of("OPENED TrackedMemory.allocate", "OPENED PageTable.allocate", "OPENED new Interconnect"),
            runProbe());
    }

    /**
     * Runs the probe in a child JVM with Farline's flags minus the given tokens, and returns its output lines.
     */
    private static List<String> runProbe(final String... dropped) throws Exception
    {
        final List<String> command = new ArrayList<>(ChildJvm.command(JvmFlagsCoreProbeMain.class, List.of(),
            List.of()));
        command.removeAll(List.of(dropped));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        final List<String> lines = new ArrayList<>();
        for (final String line : output.split("\n"))
        {
            if (!line.startsWith("WARNING"))
            {
                lines.add(line);
            }
        }
        return lines;
    }
}
