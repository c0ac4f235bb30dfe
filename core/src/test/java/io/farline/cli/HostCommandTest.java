package io.farline.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;

class HostCommandTest
{
    @TempDir
    Path scratch;

    @Test
    @Timeout(60)
    void shouldCheckEveryOptionBeforeStartingWhenOneIsBad()
    {
        final Path fabric = scratch.resolve("fabric");
        CliRun.of("host", "--fabric", fabric.toString(), "--donate", "4MiB", "--reclaim", "xyz")
            .assertRefused(FarlineMain.EXIT_USAGE, "farline host: --reclaim 'xyz' is not a size");
        CliRun.of("host", "--fabric", fabric.toString(), "--donate", "lots")
            .assertRefused(FarlineMain.EXIT_USAGE, "farline host: --donate 'lots' is not a size");
        CliRun.of("host", "--fabric", fabric.toString(), "--donate", "3MiB", "--chunk", "2MiB")
            .assertRefused(FarlineMain.EXIT_USAGE, "farline host: --donate 3145728 is not a multiple of --chunk");
        assertFalse(Files.exists(fabric), "no fabric is created for a host that cannot start");
    }
}
