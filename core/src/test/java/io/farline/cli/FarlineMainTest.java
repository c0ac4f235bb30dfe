package io.farline.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FarlineMainTest
{
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
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "demo", "--peers", "0" }));
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "demo", "--peers" }));
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "demo", "--messages", "many" }));
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "demo", "--frobnicate" }));
    }

    @Test
    void shouldReturnUsageErrorWhenFabricDoesNotExist()
    {
        final String missing = "no-such-fabric-" + System.nanoTime();
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "stat", missing }));
        assertEquals(FarlineMain.EXIT_USAGE, FarlineMain.run(new String[]{ "clean", "bad/../name" }));
    }

    @Test
    void shouldRunTheTransportDemoAcrossProcessesAndVerify()
    {
        assertEquals(FarlineMain.EXIT_OK,
            FarlineMain.run(new String[]{ "demo", "--peers", "2", "--messages", "20000", "--atomics", "2000" }));
    }
}
