package io.farline.cli;

import io.farline.core.pool.ControllerLocator;
import io.farline.core.testing.ChildCli;
import io.farline.transport.Fabric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CleanCommandTest
{
    @TempDir
    Path scratch;

    @Test
    void shouldRemoveAFabricWithItsBookkeepingOnceNoNodeIsLeft() throws Exception
    {
        final Path directory = scratch.resolve("pool");
        try (ChildCli controller = ChildCli.controller(directory); ChildCli host = ChildCli.host(directory, "4MiB"))
        {
            ChildCli.awaitOnline(controller, host);
            controller.kill();
            awaitQuiet();
            CliRun run = CliRun.of("clean", directory.toString());
            assertEquals(FarlineMain.EXIT_OK, run.exitCode(), run.err());
            assertTrue(run.out().contains("removed " + directory.resolve("node-" + controller.nodeId() + ".ctl")),
                run.out());
            assertEquals(List.of("node-" + host.nodeId() + ".ctl", "node-id.seq", ControllerLocator.FILE_NAME),
                names(directory).stream().filter(name -> !name.contains(".region-") && !name.contains(".lane-"))
                    .toList(), "a live host keeps the fabric's bookkeeping for the next controller");

            host.kill();
            awaitQuiet();
            run = CliRun.of("clean", directory.toString());
            assertEquals(FarlineMain.EXIT_OK, run.exitCode(), run.err());
            assertTrue(run.out().contains("removed " + directory.resolve(ControllerLocator.FILE_NAME)), run.out());
            assertTrue(run.out().contains("removed " + directory.resolve(Fabric.NODE_ID_SEQUENCE_FILE)), run.out());
            assertTrue(run.out().contains("removed fabric " + directory + ": no node left"), run.out());
            assertFalse(Files.exists(directory), "no node is left, so neither is the fabric");
        }
    }

    @Test
    void shouldLeaveADirectoryThatIsNotAFabric() throws IOException
    {
        final Path directory = Files.createDirectory(scratch.resolve("user-directory"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setLastModifiedTime(directory, FileTime.fromMillis(System.currentTimeMillis() - 10_000));

        final CliRun run = CliRun.of("clean", directory.toString());
        assertEquals(FarlineMain.EXIT_OK, run.exitCode(), run.err());
        assertEquals("0 file(s) removed from 1 fabric(s)" + System.lineSeparator(), run.out());
        assertTrue(Files.isDirectory(directory), "an empty directory of the user's is not a fabric");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
    }

    @Test
    void shouldRemoveAnEmptyFabricInTheDefaultRoot() throws IOException
    {
        final String name = "clean-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        final Path directory = Fabric.open(name).directory();
        Files.setLastModifiedTime(directory, FileTime.fromMillis(System.currentTimeMillis() - 10_000));

        final CliRun run = CliRun.of("clean", name);
        assertEquals(FarlineMain.EXIT_OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("removed fabric " + directory), run.out());
        assertFalse(Files.exists(directory));
    }

    /**
     * Waits out the time a fabric is left alone after its directory changed, since a node may be starting.
     */
    private static void awaitQuiet() throws InterruptedException
    {
        Thread.sleep(Fabric.STARTING_NODE_GRACE_MS + 100);
    }

    private static List<String> names(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
