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
