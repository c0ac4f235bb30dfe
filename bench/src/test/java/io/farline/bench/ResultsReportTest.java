package io.farline.bench;

import io.farline.bench.SuiteMetrics.Measured;
import io.farline.bench.SuiteMetrics.Metric;
import io.farline.bench.SuiteMetrics.Spec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsReportTest
{
    @Test
    void shouldEscapeJsonStringsWhenTheyHoldQuotesBackslashesAndControlCharacters()
    {
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001\"", ResultsReport.string("a\"b\\c\nd\te\u0001"));
        assertEquals("\"Intel(R) Xeon(R) @ 2.90GHz\"", ResultsReport.string("Intel(R) Xeon(R) @ 2.90GHz"));
    }

    @Test
    void shouldTakeTheMiddleOrTheMeanOfTheTwoMiddlesWhenComputingMedians()
    {
        assertEquals(3.0, SuiteMetrics.median(new double[]{ 5, 1, 3 }));
        assertEquals(2.5, SuiteMetrics.median(new double[]{ 4, 1, 3, 2 }));
        assertTrue(Double.isNaN(SuiteMetrics.median(new double[0])));
    }

    @Test
    void shouldWriteRatioGoalPassAndRawFiguresWhenAMetricWasMeasured()
    {
        final Spec spec = TransportMetrics.SPECS.get(0);
        final Measured subject = new Measured(new double[]{ 9e6, 10e6, 11e6 }, 10e6, "ops/s");
        final Measured baseline = new Measured(new double[]{ 12e6, 12.5e6, 13e6 }, 12.5e6, "ops/s");
        final String json = ResultsReport.json("transport", List.of(new Metric(spec, subject, baseline, 0.8, true,
            null)));
        assertTrue(json.startsWith("{\n  \"suite\": \"transport\",\n  \"date\": \""), json);
        assertTrue(json.contains("{\"id\": \"P4-write-4k\", \"value\": 0.800, \"unit\": \"ratio\", " +
            "\"goal\": \">= 0.8\", \"pass\": true, \"baseline\": \"UnsafeBuffer.putBytes 4 KiB in-process, " +
            "12.50 M ops/s (median of 3 forks)\""), json);
        assertTrue(json.contains("\"subjectValue\": 10000000, \"baselineValue\": 12500000, \"rawUnit\": \"ops/s\", " +
            "\"subjectForks\": [9000000, 10000000, 11000000]"), json);
    }

    @Test
    void shouldWriteNullValueFailAndErrorWhenASideIsMissing()
    {
        final Spec spec = TransportMetrics.SPECS.get(2);
        final Measured missing = new Measured(new double[0], Double.NaN, "");
        final Measured baseline = new Measured(new double[]{ 200 }, 200, SuiteMetrics.P50_UNIT);
        final String json = ResultsReport.json("transport", List.of(new Metric(spec, missing, baseline, Double.NaN,
            false, "no result for X")));
        assertTrue(json.contains("\"id\": \"P5-pingpong-rtt\", \"value\": null, \"unit\": \"ratio\", " +
            "\"goal\": \"<= 1.2\", \"pass\": false"), json);
        assertTrue(json.contains("\"subjectValue\": null, \"baselineValue\": 200, \"rawUnit\": \"ns (p50)\""), json);
        assertTrue(json.contains("\"error\": \"no result for X\""), json);
    }

    @Test
    void shouldPassRecordMetricsAndJudgeGoalsInTheirDirection()
    {
        for (final Spec spec : TransportMetrics.SPECS)
        {
            switch (spec.goalKind())
            {
                case AT_LEAST:
                    assertTrue(spec.passes(0.8) && !spec.passes(0.79), spec.id());
                    break;
                case AT_MOST:
                    assertTrue(spec.passes(1.2) && !spec.passes(1.21), spec.id());
                    break;
                default:
                    assertEquals("record", spec.goal(), spec.id());
                    assertTrue(spec.passes(0.01), spec.id());
            }
        }
    }
}
