package io.farline.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class FarlineMainTest
{
    @TempDir
    Path scratch;

    @Test
    void shouldReturnUsageErrorWhenCommandIsMissingOrUnknown()
    {
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[0]));
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "bogus" }));
        assertEquals(FarlineMain.EXIT_OK, FarlineMain.run(new String[]{ "--help" }));
    }

    @Test
    void shouldReturnUsageErrorWhenDemoOptionsAreBad()
    {
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "demo", "--hosts", "4" }));
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "demo", "--keys" }));
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "demo", "--seconds", "many" }));
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "demo", "--frobnicate" }));
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "demo-transport", "--peers", "0" }));
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "demo-transport", "--peers" }));
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "demo-transport", "--messages", "x" }));
    }

    @Test
    void shouldReturnUsageErrorWhenFabricDoesNotExist()
    {
        final String missing = "no-such-fabric-" + System.nanoTime();
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "stat", missing }));
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "clean", "bad/../name" }));
    }

    @Test
    void shouldReportABadFabricPathInOneLineWithoutAStackTrace() throws IOException
    {
        final Path file = Files.writeString(scratch.resolve("regular-file"), "not a fabric");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        CliRun.of("host", "--fabric", file.toString(), "--donate", "4MiB")
            .assertRefused(FarlineMain.EXIT_USAGE, "farline host: refused " + file + ": exists and is not a directory");
        CliRun.of("controller", "--fabric", file.resolve("sub").toString())
            .assertRefused(FarlineMain.EXIT_USAGE, "farline controller: refused " + file + ": exists and is not a " +
                "directory");
        CliRun.of("stat", "--once", file.toString())
            .assertRefused(FarlineMain.EXIT_USAGE, "farline stat: " + file + " is not a directory");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
            "a file named as a fabric is not chmodded");

        final Path missing = scratch.resolve("does-not-exist");
        CliRun.of("stat", "--once", missing.toString())
            .assertRefused(FarlineMain.EXIT_USAGE, "farline stat: no fabric directory " + missing + ": it does not " +
                "exist");
        CliRun.of("clean", missing.toString())
            .assertRefused(FarlineMain.EXIT_USAGE, "farline clean: no fabric directory " + missing);
        assertFalse(Files.exists(missing), "looking at a missing fabric creates nothing");
    }

    @Test
    void shouldReportAnUnknownOptionAsAnUnknownOption()
    {
        CliRun.of("stat", "--once", "--bogus").assertRefused(FarlineMain.EXIT_USAGE,
            "farline stat: unknown option '--bogus'");
        CliRun.of("clean", "--bogus").assertRefused(FarlineMain.EXIT_USAGE, "farline clean: unknown option '--bogus'");
    }

    @Test
    void shouldRunTheTransportDemoAcrossProcessesAndVerify()
    {
        assertEquals(FarlineMain.EXIT_OK, FarlineMain.run(
            new String[]{ "demo-transport", "--peers", "2", "--messages", "20000", "--atomics", "2000" }));
    }

    @Test
    void shouldRunTheFarMemoryDemoThroughAKilledHostAndVerifyEveryKey()
    {
        assertEquals(FarlineMain.EXIT_OK,
            FarlineMain.run(new String[]{ "demo", "--keys", "30000", "--seconds", "6" }));
    }
}
