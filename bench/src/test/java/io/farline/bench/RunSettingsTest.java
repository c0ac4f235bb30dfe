package io.farline.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSettingsTest
{
    @Test
    void shouldRunTheTransportSuiteWithEachSuitesDefaultsWhenGivenNoArguments()
    {
        final RunSettings settings = RunSettings.parse(new String[0]);
        assertEquals(List.of(BenchmarkSuite.TRANSPORT), settings.suites());
        assertEquals(BenchmarkRunner.FORKS, settings.forks());
        assertEquals(BenchmarkRunner.WARMUP_ITERATIONS, settings.warmupIterations());
        assertEquals(BenchmarkRunner.MEASUREMENT_ITERATIONS, settings.measurementIterations());
        assertEquals("1000 ms", settings.measurementTime(BenchmarkSuite.TRANSPORT).toString());
        assertEquals("500 ms", settings.warmupTime(BenchmarkSuite.TRACKING).toString());
        assertFalse(settings.interleave(BenchmarkSuite.TRANSPORT));
        assertTrue(settings.interleave(BenchmarkSuite.TRACKING));
    }

    @Test
    void shouldSelectSuitesByNameOrEverySuiteForAnInclude()
    {
        assertEquals(List.of(BenchmarkSuite.TRACKING), RunSettings.parse(new String[]{ "--suite", "tracking" })
            .suites());
        assertEquals(List.of(BenchmarkSuite.values()), RunSettings.parse(new String[]{ "--suite", "all" }).suites());
        assertEquals(List.of(BenchmarkSuite.values()), RunSettings.parse(new String[]{ "--include", "Tracked" })
            .suites());
        assertEquals(List.of(BenchmarkSuite.TRACKING),
            RunSettings.parse(new String[]{ "--include", "Tracked", "--suite", "tracking" }).suites());
    }

    @Test
    void shouldLetArgumentsOverrideQuickAndSuiteDefaults()
    {
        final RunSettings quick = RunSettings.parse(new String[]{ "--quick", "--suite", "tracking" });
        assertEquals(BenchmarkRunner.QUICK_FORKS, quick.forks());
        assertEquals("500 ms", quick.measurementTime(BenchmarkSuite.TRANSPORT).toString());
        assertEquals(BenchmarkRunner.QUICK_MEASUREMENT_ITERATIONS, quick.measurementIterations());

        final RunSettings explicit =
            RunSettings.parse(new String[]{ "--quick", "-f", "3", "-r", "2s", "--interleave" });
        assertEquals(3, explicit.forks());
        assertEquals("2 s", explicit.measurementTime(BenchmarkSuite.TRACKING).toString());
        assertTrue(explicit.interleave(BenchmarkSuite.TRANSPORT));

        final RunSettings sequential = RunSettings.parse(new String[]{ "--no-interleave" });
        assertFalse(sequential.interleave(BenchmarkSuite.TRACKING));
    }

    @Test
    void shouldDescribeTheSettingsOfEachSuite()
    {
        final RunSettings settings = RunSettings.parse(new String[0]);
        assertEquals("5 forks (interleaved rounds), warm-up 3 x 500 ms, measurement 5 x 500 ms",
            settings.describe(BenchmarkSuite.TRACKING));
        assertEquals("5 forks, warm-up 3 x 1000 ms, measurement 5 x 1000 ms",
            settings.describe(BenchmarkSuite.TRANSPORT));
    }

    @Test
    void shouldRefuseAnUnknownSuiteOrABadRegex()
    {
        assertThrows(IllegalArgumentException.class, () -> RunSettings.parse(new String[]{ "--suite", "nope" }));
        assertThrows(IllegalArgumentException.class, () -> RunSettings.parse(new String[]{ "--include", "(" }));
        assertThrows(IllegalArgumentException.class, () -> RunSettings.parse(new String[]{ "--suite" }));
    }
}
