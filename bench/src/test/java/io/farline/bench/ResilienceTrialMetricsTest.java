package io.farline.bench;

import io.farline.bench.SuiteMetrics.Metric;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResilienceTrialMetricsTest
{
    private static final ResilienceRound FIRST =
        new ResilienceRound(0, 100, 4000, 2000, 9000, 100, 1L << 30, 2_000_000_000L);
    private static final ResilienceRound SECOND =
        new ResilienceRound(1, 300, 4000, 1000, 5000, 80, 1L << 29, 2_000_000_000L);
    private static final ResilienceRound THIRD =
        new ResilienceRound(2, 200, 4000, 1000, 3000, 90, 1L << 30, 3_000_000_000L);

    @Test
    void shouldParseWhatARoundFormats()
    {
        assertEquals(FIRST, ResilienceRound.parse(FIRST.format()));
        assertEquals(2.0, FIRST.rebuildSecondsPerGib(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ResilienceRound.parse("DONE"));
        assertThrows(IllegalArgumentException.class,
            () -> ResilienceRound.parse(FIRST.format().replace("rebuildNs=", "rebuildNs=x")));
        assertThrows(IllegalArgumentException.class,
            () -> ResilienceRound.parse(FIRST.format().replace(" round=0", "")));
    }

    @Test
    void shouldTakeMediansOfPerRoundRatiosFromTheTrialOutput()
    {
        final List<Metric> metrics = ResilienceTrialMetrics.trialMetrics(0, List.of("KILL 3", FIRST.format(),
            "KILL 4", SECOND.format(), "KILL 5", THIRD.format(), "OVERHEAD xor=1.3333333333333333 replicas=2.0",
            "DONE"));
        assertEquals(ResilienceTrialMetrics.SPECS.size(), metrics.size());
        metrics.forEach(metric -> assertNull(metric.error(), metric.spec().id()));
        assertEquals(0.05, metrics.get(0).value(), 1e-12, "median of 100/4000, 300/4000, 200/4000");
        assertEquals(4.5, metrics.get(1).value(), 1e-12, "median of 4.5, 5, 3");
        assertEquals(3.0, metrics.get(2).value(), 1e-12, "median of 2, 4, 3 s/GiB");
        assertEquals(2.0 / 3, metrics.get(3).value(), 1e-12);
    }

    @Test
    void shouldFailEveryMetricWhenTheTrialDidNotFinish()
    {
        final List<Metric> failed = ResilienceTrialMetrics.trialMetrics(1, List.of(FIRST.format()));
        assertEquals(ResilienceTrialMetrics.SPECS.size(), failed.size());
        failed.forEach(metric -> assertTrue(metric.error().contains("exited with 1 before finishing"),
            metric.error()));
        assertTrue(ResilienceTrialMetrics.trialMetrics(0, List.of("ROUND nonsense", "DONE")).get(0).error()
            .contains("bad line"));
    }
}
