package io.farline.bench;

import io.farline.bench.SuiteMetrics.Metric;
import io.farline.bench.SuiteMetrics.Spec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FarMemoryMetricsTest
{
    @Test
    void shouldComputeEachCountMetricFromItsWorkloadsCounters()
    {
        final Map<String, FarMemoryCounts> counts = allWorkloads();
        final Map<String, Metric> metrics = byId(FarMemoryMetrics.countMetrics(counts));
        assertEquals(5, metrics.size());

        final Metric dirty = metrics.get("P3-writeback-vs-dirty");
        assertNull(dirty.error());
        assertEquals(1100.0 / 1000, dirty.value(), 1e-12); // written back / dirty, of random-updates
        assertFalse(dirty.pass(), "1.1 is above 1.03");
        assertEquals(FarMemoryMetrics.BYTES, dirty.subject().unit());

        final Metric random = metrics.get("P3-writeback-vs-page-random");
        assertEquals(40_960.0 / 2048, random.value(), 1e-12); // page-granular / written back, of random-8b
        assertTrue(random.pass());
        final Metric ycsb = metrics.get("P3-writeback-vs-page-ycsb");
        assertEquals(20_480.0 / 4096, ycsb.value(), 1e-12);
        assertFalse(ycsb.pass(), "5 is below 10");
        assertEquals(1.0, metrics.get("P3-writeback-vs-page-sequential").value(), 1e-12);
        assertTrue(metrics.get("P3-writeback-vs-page-sequential").pass(), "record");

        final Metric prefetch = metrics.get("P11-prefetch-hits");
        assertNull(prefetch.error());
        assertEquals(0.95, prefetch.value(), 1e-12);
        assertTrue(prefetch.pass());
        assertEquals(95, prefetch.subject().median());
        assertEquals(100, prefetch.baseline().median());
    }

    @Test
    void shouldFailACountMetricWhoseWorkloadIsMissingOrCountedNothing()
    {
        final Map<String, FarMemoryCounts> counts = allWorkloads();
        counts.remove(FarMemoryCountsMain.YCSB_A);
        counts.put(FarMemoryCountsMain.SEQUENTIAL, counts(FarMemoryCountsMain.SEQUENTIAL, 0, 0, 0, 0, 0));
        final Map<String, Metric> metrics = byId(FarMemoryMetrics.countMetrics(counts));
        final Metric ycsb = metrics.get("P3-writeback-vs-page-ycsb");
        assertTrue(Double.isNaN(ycsb.value()) && !ycsb.pass());
        assertTrue(ycsb.error().contains(FarMemoryCountsMain.YCSB_A), ycsb.error());
        final Metric sequential = metrics.get("P3-writeback-vs-page-sequential");
        assertFalse(sequential.pass(), "a record metric without a value does not pass");
        assertTrue(sequential.error().contains("counted no bytes written back"), sequential.error());
        assertNull(metrics.get("P3-writeback-vs-page-random").error());
    }

    @Test
    void shouldFailThePrefetchMetricWhenTheHitRateDisagreesWithItsCounters()
    {
        final Map<String, FarMemoryCounts> counts = allWorkloads();
        counts.put(FarMemoryCountsMain.STRIDED_SCAN, new FarMemoryCounts(FarMemoryCountsMain.STRIDED_SCAN, 10, 10,
            1, 5, 0, 0, 0, 95, 5, 0.5, 1));
        final Metric prefetch = byId(FarMemoryMetrics.countMetrics(counts)).get("P11-prefetch-hits");
        assertNotNull(prefetch.error());
        assertFalse(prefetch.pass());
    }

    @Test
    void shouldFailEveryCountMetricWhenTheStepFailed()
    {
        final List<Metric> metrics = FarMemoryEnvironment.countMetrics(1, lines(allWorkloads(), true));
        assertEquals(FarMemoryMetrics.COUNT_SPECS.size(), metrics.size());
        for (final Metric metric : metrics)
        {
            assertTrue(metric.error().contains("exited with 1"), metric.error());
        }
        for (final Metric metric : FarMemoryEnvironment.countMetrics(0, lines(allWorkloads(), false)))
        {
            assertTrue(metric.error().contains("before finishing"), metric.error());
        }
        final List<String> bad = lines(allWorkloads(), true);
        bad.add(0, "COUNTS workload=x misses=oops");
        for (final Metric metric : FarMemoryEnvironment.countMetrics(0, bad))
        {
            assertTrue(metric.error().contains("bad line"), metric.error());
        }
    }

    @Test
    void shouldComputeTheCountMetricsFromTheStepsOutput()
    {
        final List<String> output = lines(allWorkloads(), true);
        output.add(0, "some other line");
        final Map<String, Metric> metrics = byId(FarMemoryEnvironment.countMetrics(0, output));
        assertEquals(20.0, metrics.get("P3-writeback-vs-page-random").value(), 1e-12);
        assertNull(metrics.get("P11-prefetch-hits").error());
    }

    @Test
    void shouldNameOnlyBenchmarksOfTheFarMemorySuiteAndLatenciesInMicroseconds()
    {
        final List<String> names = BenchmarkSuite.FARMEMORY.benchmarkNames();
        for (final Spec spec : FarMemoryMetrics.SPECS)
        {
            assertTrue(names.contains(spec.subject().key().split(" ")[0]), spec.id() + ": " + names);
            if (!spec.isAbsolute())
            {
                assertTrue(names.contains(spec.baseline().key().split(" ")[0]), spec.id());
            }
            if (spec.id().startsWith("P11-miss-latency") && spec.isAbsolute())
            {
                assertEquals("µs", spec.unit(), spec.id());
                assertEquals(SuiteMetrics.Figure.SAMPLE_P50, spec.subject().figure(), spec.id());
            }
        }
        final List<String> ids = new ArrayList<>();
        FarMemoryMetrics.SPECS.forEach(spec -> ids.add(spec.id()));
        FarMemoryMetrics.COUNT_SPECS.forEach(spec -> ids.add(spec.spec().id()));
        assertEquals(List.of("P11-miss-latency", "P11-miss-latency-link", "P11-miss-latency-link-vs-page",
            "P11-miss-latency-vs-page", "farmemory-mix-1x", "farmemory-mix-2x", "farmemory-mix-8x",
            "P3-writeback-vs-dirty", "P3-writeback-vs-page-random", "P3-writeback-vs-page-ycsb",
            "P3-writeback-vs-page-sequential", "P11-prefetch-hits"), ids);
        assertTrue(byId(FarMemoryMetrics.failedCountMetrics("x")).get("P11-prefetch-hits").spec().passes(0.9));
        assertFalse(FarMemoryMetrics.SPECS.get(0).passes(2.01), "P11-miss-latency is at most 2 µs");
    }

    private static Map<String, FarMemoryCounts> allWorkloads()
    {
        final Map<String, FarMemoryCounts> counts = new HashMap<>();
        counts.put(FarMemoryCountsMain.RANDOM_UPDATES, counts(FarMemoryCountsMain.RANDOM_UPDATES, 1000, 1100, 8192,
            0, 0));
        counts.put(FarMemoryCountsMain.RANDOM_LONGS, counts(FarMemoryCountsMain.RANDOM_LONGS, 2048, 2048, 40_960, 0,
            0));
        counts.put(FarMemoryCountsMain.YCSB_A, counts(FarMemoryCountsMain.YCSB_A, 4096, 4096, 20_480, 0, 0));
        counts.put(FarMemoryCountsMain.SEQUENTIAL, counts(FarMemoryCountsMain.SEQUENTIAL, 8192, 8192, 8192, 0, 0));
        counts.put(FarMemoryCountsMain.STRIDED_SCAN, counts(FarMemoryCountsMain.STRIDED_SCAN, 0, 0, 0, 95, 5));
        return counts;
    }

    private static FarMemoryCounts counts(final String workload, final long dirty, final long written,
        final long pageGranular, final long used, final long wasted)
    {
        final double hitRate = used + wasted == 0 ? 0 : (double)used / (used + wasted);
        return new FarMemoryCounts(workload, 100, 100, 10, 10, dirty, written, pageGranular, used, wasted, hitRate,
            5);
    }

    private static List<String> lines(final Map<String, FarMemoryCounts> counts, final boolean done)
    {
        final List<String> lines = new ArrayList<>();
        counts.values().forEach(c -> lines.add(c.format()));
        if (done)
        {
            lines.add(FarMemoryCountsMain.DONE);
        }
        return lines;
    }

    private static Map<String, Metric> byId(final List<Metric> metrics)
    {
        final Map<String, Metric> byId = new HashMap<>();
        metrics.forEach(metric -> byId.put(metric.spec().id(), metric));
        return byId;
    }
}
