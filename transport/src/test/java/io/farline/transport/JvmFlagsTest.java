package io.farline.transport;

import io.farline.transport.internal.ChildJvm;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmFlagsTest
{
    @Test
    void shouldListTheFlagsOfTheParentPomForThisJdk()
    {
        assertEquals(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"),
            JvmFlags.forFeatureVersion(17));
        assertEquals(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED"),
            JvmFlags.forFeatureVersion(25));
        assertEquals(List.of(), JvmFlags.missing(), "surefire passes the flags from the parent pom");
    }

    @Test
    void shouldNameTheMissingFlagWhenStartedWithoutIt() throws Exception
    {
        final String output = runWithout("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
        assertTrue(output.startsWith("REFUSED "), output);
        assertTrue(output.contains("--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"), output);
    }

    @Test
    void shouldOpenWhenStartedWithTheFlags() throws Exception
    {
        assertEquals("OPENED", runWithout());
    }

    /**
     * Runs the probe in a child JVM with Farline's flags minus the given tokens.
     */
    private static String runWithout(final String... dropped) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(ChildJvm.command(JvmFlagsProbeMain.class, List.of(),
            List.of(Files.createTempDirectory("flags-probe").toString())));
        command.removeAll(List.of(dropped));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return output;
    }

}
