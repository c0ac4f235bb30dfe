package io.farline.cli.demo;

import io.farline.cli.FarlineMain;
import io.farline.transport.Fabric;
import io.farline.transport.internal.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The demo as users run it, in a JVM of its own with its child JVMs, interrupted (SIGINT, as Ctrl-C sends it) or
 * killed: no child may outlive it, and nothing it made may be left behind. Its fabric root is its own (a user name
 * of its own), and so is its temporary directory, where the children's logs go.
 */
class DemoSessionTest
{
    private static final long START_TIMEOUT_MS = 120_000;
    /** Children look for the demo every 500 ms, and a host needs a moment to close its node. */
    private static final long CHILDREN_GONE_TIMEOUT_MS = 20_000;
    private static final int SIGINT_EXIT_CODE = 130;

    @TempDir
    Path scratch;

    private final String user = "demo-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private Process demo;
    private Path output;
    private Path temporary;

    @Test
    void shouldStopEveryChildAndLeaveNothingWhenInterruptedDuringStartUp() throws Exception
    {
        // Eight hosts are started one after the other once the controller is READY: the interrupt lands while the
        // demo is still starting them.
        startDemo("--hosts", "8", "--keys", "1000", "--seconds", "3");
        awaitTrue(() -> logSays("controller.log", "READY"), "the controller's READY", START_TIMEOUT_MS);
        final List<ProcessHandle> children = interruptAndCheckTheReport(false);
        assertAllGone(children);
        assertNothingLeft();
    }

    @Test
    void shouldReportAnInterruptionNotAFailureWhenInterruptedDuringTheWorkload() throws Exception
    {
        startDemo("--hosts", "5", "--keys", "20000", "--seconds", "60");
        awaitTrue(() -> output().contains("YCSB-A"), "the workload", START_TIMEOUT_MS);
        Thread.sleep(1000);
        // Ctrl-C on a terminal signals the whole process group: the hosts stop on their own as the demo does.
        final List<ProcessHandle> children = interruptAndCheckTheReport(true);
        assertAllGone(children);
        assertNothingLeft();
    }

    @Test
    void shouldStopTheChildrenWhenTheDemoIsKilled() throws Exception
    {
        startDemo("--hosts", "5", "--keys", "1000", "--seconds", "60");
        awaitTrue(() -> output().contains("ok     pool"), "the pool online", START_TIMEOUT_MS);
        final List<ProcessHandle> children = children();
        assertEquals(6, children.size(), "a controller and five hosts: " + children);
        demo.destroyForcibly(); // SIGKILL: no shutdown hook runs, the children are on their own
        assertTrue(demo.waitFor(30, TimeUnit.SECONDS));
        assertAllGone(children);
    }

    @AfterEach
    void stopEverything() throws IOException
    {
        if (null != demo)
        {
            demo.destroyForcibly();
            children().forEach(ProcessHandle::destroyForcibly);
            deleteTree(fabricRoot());
        }
    }

    private void startDemo(final String... args) throws IOException
    {
        temporary = Files.createDirectory(scratch.resolve("tmp"));
        output = scratch.resolve("demo.out");
        final List<String> demoArgs = new ArrayList<>();
        demoArgs.add("demo");
        demoArgs.addAll(List.of(args));
        final List<String> command = new ArrayList<>();
        // A session (and process group) of its own, as a shell gives a command, so that a signal to the group
        // reaches the demo and its children and not this JVM. setsid execs the demo in place: same pid.
        command.add("setsid");
        command.addAll(ChildJvm.command(FarlineMain.class,
            List.of("-Xmx256m", "-Duser.name=" + user, "-Djava.io.tmpdir=" + temporary), demoArgs));
        demo = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /**
     * Sends SIGINT, to the demo alone ({@code kill -INT}) or to its process group (Ctrl-C), and checks what the demo
     * said and how it exited.
     *
     * @return the children it had when interrupted.
     */
    private List<ProcessHandle> interruptAndCheckTheReport(final boolean wholeGroup) throws Exception
    {
        final List<ProcessHandle> children = children();
        final String target = wholeGroup ? "-" + demo.pid() : Long.toString(demo.pid());
        assertEquals(0, new ProcessBuilder("kill", "-INT", "--", target).start().waitFor());
        if (!demo.waitFor(60, TimeUnit.SECONDS))
        {
            fail("the demo did not end within 60 s of SIGINT; output:\n" + output());
        }
        final String said = output();
        assertEquals(SIGINT_EXIT_CODE, demo.exitValue(), said);
        assertTrue(said.contains("farline demo: interrupted"), said);
        assertFalse(said.contains("FAILED"), "an interruption is not a failure:\n" + said);
        assertFalse(said.contains("---- "), "no child logs after an interruption:\n" + said);
        return children;
    }

    private void assertAllGone(final List<ProcessHandle> seen) throws InterruptedException
    {
        // Children started after the list was taken are found by their command line, which names the fabric.
        awaitTrue(() -> seen.stream().noneMatch(ProcessHandle::isAlive) && children().isEmpty(),
            "end of every child of the demo (left: " + children() + ")", CHILDREN_GONE_TIMEOUT_MS);
    }

    private void assertNothingLeft() throws IOException
    {
        assertFalse(Files.exists(fabricDirectory()), "the fabric is removed: " + fabricDirectory());
        try (Stream<Path> left = Files.list(temporary))
        {
            assertEquals(List.of(), left.toList(), "the children's logs are removed");
        }
    }

    /**
     * @return live processes whose command line names the demo's fabric: its children.
     */
    private List<ProcessHandle> children()
    {
        final String fabric = fabricDirectory().toString();
        return ProcessHandle.allProcesses()
            .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(fabric)).orElse(false))
            .toList();
    }

    private Path fabricRoot()
    {
        return Fabric.defaultRoot().resolveSibling("farline-" + user);
    }

    private Path fabricDirectory()
    {
        return fabricRoot().resolve("demo-" + demo.pid());
    }

    private boolean logSays(final String logName, final String text)
    {
        try (Stream<Path> directories = Files.list(temporary))
        {
            for (final Path directory : directories.toList())
            {
                final Path log = directory.resolve(logName);
                if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text))
                {
                    return true;
                }
            }
            return false;
        }
        catch (final IOException ex)
        {
            return false; // the demo is still writing or removing it
        }
    }

    private String output()
    {
        try
        {
            return Files.readString(output, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void awaitTrue(final BooleanSupplier condition, final String what, final long timeoutMs)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("no " + what + " within " + timeoutMs + " ms; demo output:\n" + output());
            }
            Thread.sleep(10);
        }
    }

    private static void deleteTree(final Path directory) throws IOException
    {
        if (Files.exists(directory))
        {
            try (Stream<Path> walk = Files.walk(directory))
            {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
