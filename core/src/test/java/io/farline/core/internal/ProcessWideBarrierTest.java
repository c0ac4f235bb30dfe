package io.farline.core.internal;

import io.farline.transport.internal.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcessWideBarrierTest
{
    @Test
    @EnabledOnOs(OS.LINUX)
    void shouldBeAvailableOnLinuxSoWritersNeedNoFence()
    {
        // The build compiles the library unless told not to (-Dfarline.native.required=false).
        assumeTrue(!"false".equals(System.getProperty("farline.native.required")));
        assertTrue(ProcessWideBarrier.isAvailable(), "membarrier unavailable: " +
            ProcessWideBarrier.unavailableReason());
        ProcessWideBarrier.run();
    }

    @Test
    void shouldFallBackAndSayWhyWhenTurnedOff() throws Exception
    {
        final Process child = ChildJvm.start(ProbeMain.class,
            List.of("-D" + ProcessWideBarrier.ENABLED_PROPERTY + "=false"), List.of());
        final String line;
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)))
        {
            line = in.readLine();
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals("false -Dfarline.membarrier=false", line);
    }

    /** Prints whether the barrier is available and why not. */
    public static final class ProbeMain
    {
        public static void main(final String[] args)
        {
            ProcessWideBarrier.run();
            System.out.println(ProcessWideBarrier.isAvailable() + " " + ProcessWideBarrier.unavailableReason());
        }
    }
}
