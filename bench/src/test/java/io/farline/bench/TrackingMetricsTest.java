package io.farline.bench;

import io.farline.bench.SuiteMetrics.Measured;
import io.farline.bench.SuiteMetrics.Metric;
import io.farline.bench.SuiteMetrics.Spec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrackingMetricsTest
{
    @Test
    void shouldTakeTheMedianOfPerForkRatiosNotTheRatioOfMedians()
    {
        final Spec spec = spec("P1-put-dirty-unpaired");
        final Metric metric = SuiteMetrics.metric(spec,
            new Measured(new double[]{ 1, 2, 9 }, 2, "ns/op"),
            new Measured(new double[]{ 1, 4, 3 }, 3, "ns/op"));
        assertNull(metric.error());
        assertEquals(1.0, metric.value(), 1e-12); // ratios 1, 0.5, 3; the medians' ratio would be 0.667
        assertTrue(metric.pass());
    }

    @Test
    void shouldJudgeTheStoreRatiosAsTimeRatiosWhereLowerIsBetter()
    {
        assertTrue(spec("P1-put-dirty").passes(1.05) && !spec("P1-put-dirty").passes(1.051));
        assertTrue(spec("P1-putbytes-4k").passes(1.05) && !spec("P1-putbytes-4k").passes(1.051));
        assertTrue(spec("P2-put-clean").passes(3.0) && !spec("P2-put-clean").passes(3.01));
    }

    @Test
    void shouldFailAPerForkRatioWhenASideLostAFork()
    {
        final Metric metric = SuiteMetrics.metric(spec("P2-put-clean-unpaired"),
            new Measured(new double[]{ 50, 60 }, 55, "ns/op"),
            new Measured(new double[]{ 20, 21, 22 }, 21, "ns/op"));
        assertTrue(Double.isNaN(metric.value()));
        assertFalse(metric.pass());
        assertNotNull(metric.error());
    }

    @Test
    void shouldTakeEachStoreMetricWithAGoalFromTheTwoTimeCountersOfOnePairedBenchmark()
    {
        for (final String id : List.of("P1-put-dirty", "P2-put-clean", "P1-putbytes-4k"))
        {
            final Spec spec = spec(id);
            assertEquals(spec.subject().key(), spec.baseline().key(), id);
            assertTrue(spec.subject().key().contains(".paired"), spec.subject().key());
            assertEquals(SuiteMetrics.Figure.TRACKED_NS, spec.subject().figure(), id);
            assertEquals(SuiteMetrics.Figure.RAW_NS, spec.baseline().figure(), id);
            assertTrue(spec.perForkRatios(), id);
            assertFalse(SuiteMetrics.GoalKind.RECORD == spec.goalKind(), id);
        }
    }

    @Test
    void shouldKeepTheUnpairedStoreMetricsAsRecordsOfSeparateForks()
    {
        for (final String id : List.of("P1-put-dirty", "P2-put-clean", "P1-putbytes-4k"))
        {
            final Spec paired = spec(id);
            final Spec unpaired = spec(id + "-unpaired");
            assertEquals(SuiteMetrics.GoalKind.RECORD, unpaired.goalKind(), unpaired.id());
            assertFalse(unpaired.subject().key().equals(unpaired.baseline().key()), unpaired.id());
            assertEquals(SuiteMetrics.Figure.SCORE, unpaired.subject().figure(), unpaired.id());
            assertEquals(SuiteMetrics.Figure.SCORE, unpaired.baseline().figure(), unpaired.id());
            assertTrue(unpaired.perForkRatios(), unpaired.id());
            assertEquals(className(paired.subject().key()), className(unpaired.subject().key()), unpaired.id());
        }
    }

    @Test
    void shouldRatioThePairedTimeCountersForkByFork()
    {
        final Metric metric = SuiteMetrics.metric(spec("P1-put-dirty"),
            new Measured(new double[]{ 1.04e9, 0.99e9, 1.10e9 }, 1.04e9, "#"),
            new Measured(new double[]{ 1.00e9, 0.90e9, 1.00e9 }, 1.00e9, "#"));
        assertNull(metric.error());
        assertEquals(1.1, metric.value(), 1e-12); // ratios 1.04, 1.1, 1.1; the medians' ratio would be 1.04
        assertFalse(metric.pass());

        final String json = ResultsReport.json("tracking", List.of(metric));
        assertTrue(json.contains("\"id\": \"P1-put-dirty\", \"value\": 1.100, \"unit\": \"ratio\", " +
            "\"goal\": \"<= 1.05\", \"pass\": false"), json);
        assertTrue(json.contains("in the same fork"), json);
        assertTrue(json.contains("\"rawUnit\": \"#\", \"subjectForks\": [1040000000, 990000000, 1100000000]"),
            json);
    }

    @Test
    void shouldReportDrainsAsGigabytesOfTrackedMemoryPerSecond()
    {
        final Spec spec = spec("drain-1pct-gbps");
        assertTrue(spec.isAbsolute());
        final Metric metric = SuiteMetrics.metric(spec,
            new Measured(new double[]{ 10_000, 11_000, 9_000 }, 10_000, "ops/s"), Measured.NONE);
        assertNull(metric.error());
        assertEquals(10_000 * 64.0 * 1024 * 1024 / 1e9, metric.value(), 1e-9);
        assertTrue(metric.pass());

        final String json = ResultsReport.json("tracking", List.of(metric));
        assertTrue(json.contains("{\"id\": \"drain-1pct-gbps\", \"value\": 671.089, \"unit\": \"GB/s\", " +
            "\"goal\": \"record\", \"pass\": true, \"baseline\": \"none: an absolute figure in GB/s\""), json);
        assertTrue(json.contains("\"subjectValue\": 10000, \"baselineValue\": null, \"rawUnit\": \"ops/s\", " +
            "\"subjectForks\": [10000, 11000, 9000], \"baselineForks\": []"), json);
    }

    @Test
    void shouldFailADrainMetricWhenItsBenchmarkDidNotRun()
    {
        final Metric metric = SuiteMetrics.metric(spec("drain-100pct-gbps"), Measured.NONE, Measured.NONE);
        assertFalse(metric.pass());
        assertTrue(metric.error().contains("dirtyPercent=100"), metric.error());
    }

    @Test
    void shouldNameOnlyBenchmarksOfTheTrackingSuite()
    {
        final List<String> names = BenchmarkSuite.TRACKING.benchmarkNames();
        for (final Spec spec : TrackingMetrics.SPECS)
        {
            assertTrue(names.contains(benchmarkName(spec.subject().key())), spec.subject().key());
            if (!spec.isAbsolute())
            {
                assertTrue(names.contains(benchmarkName(spec.baseline().key())), spec.baseline().key());
                assertTrue(spec.perForkRatios(), spec.id());
            }
        }
    }

    @Test
    void shouldMeasureTheReplicaBytesAsTheRatioOfTwoCountersOfOneFork()
    {
        final Spec p12 = spec("P12-replica-bytes");
        assertEquals(p12.subject().key(), p12.baseline().key());
        assertEquals(SuiteMetrics.Figure.REPLICA_LINES, p12.subject().figure());
        assertEquals(SuiteMetrics.Figure.PTE_UPDATES, p12.baseline().figure());
        assertTrue(p12.passes(1.0));
        assertFalse(p12.passes(1.01));
        assertEquals(List.of(), BenchmarkSuite.TRACKING.pending());
    }

    @Test
    void shouldPrintAPendingMetricButNeverWriteIt()
    {
        final SuiteMetrics.Pending pending = new SuiteMetrics.Pending("X-later", "something", "not built yet");
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResultsReport.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8), "header", List.of(),
            List.of(pending));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("X-later"));
        assertFalse(ResultsReport.json("tracking", List.of()).contains("X-later"));
    }

    private static Spec spec(final String id)
    {
        for (final Spec spec : TrackingMetrics.SPECS)
        {
            if (spec.id().equals(id))
            {
                return spec;
            }
        }
        throw new AssertionError("no metric " + id);
    }

    private static String className(final String key)
    {
        return key.substring(0, key.lastIndexOf('.'));
    }

    private static String benchmarkName(final String key)
    {
        final int space = key.indexOf(' ');
        return space < 0 ? key : key.substring(0, space);
    }
}
