package io.farline.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchmarkSuiteTest
{
    @Test
    void shouldParseSuiteNamesAndAll()
    {
        assertEquals(List.of(BenchmarkSuite.TRACKING), BenchmarkSuite.parse("tracking"));
        assertEquals(List.of(BenchmarkSuite.TRANSPORT), BenchmarkSuite.parse(" Transport "));
        assertEquals(List.of(BenchmarkSuite.FARMEMORY), BenchmarkSuite.parse("FarMemory"));
        assertEquals(List.of(BenchmarkSuite.RESILIENCE), BenchmarkSuite.parse("resilience"));
        assertEquals(List.of(BenchmarkSuite.TRANSPORT, BenchmarkSuite.TRACKING, BenchmarkSuite.FARMEMORY,
            BenchmarkSuite.RESILIENCE), BenchmarkSuite.parse("all"));
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> BenchmarkSuite.parse("trakcing"));
        assertTrue(ex.getMessage().contains("trakcing"), ex.getMessage());
    }

    @Test
    void shouldPutEveryClassInOneSuite()
    {
        final Set<Class<?>> seen = new HashSet<>();
        for (final BenchmarkSuite suite : BenchmarkSuite.values())
        {
            for (final Class<?> benchmarkClass : suite.classes())
            {
                assertTrue(seen.add(benchmarkClass), benchmarkClass.getName());
                assertEquals(suite, BenchmarkSuite.of(benchmarkClass));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> BenchmarkSuite.of(String.class));
    }

    @Test
    void shouldNameGroupsByTheirGroupAsJmhDoes()
    {
        final List<String> names = BenchmarkSuite.TRANSPORT.benchmarkNames();
        assertTrue(names.contains(SuiteMetrics.key(TwoSidedSendThroughputBenchmark.class, "farline")), "" + names);
        assertTrue(names.contains(SuiteMetrics.key(TwoSidedSendThroughputBenchmark.class, "rawRing")), "" + names);
        assertFalse(names.contains(SuiteMetrics.key(TwoSidedSendThroughputBenchmark.class, "farlineSend")));
    }

    @Test
    void shouldIncludeWholeClassesWhenNoRegexIsGiven()
    {
        final List<String> includes = BenchmarkSuite.TRACKING.includes(List.of(), List.of());
        assertEquals(TrackingMetrics.CLASSES.size(), includes.size());
        assertTrue(matchesAny(includes, SuiteMetrics.key(TrackedBufferPutLongLatencyBenchmark.class,
            "unsafeBufferPutLong")));
        assertFalse(matchesAny(includes, SuiteMetrics.key(OneSidedWriteThroughputBenchmark.class,
            "unsafeBufferPutBytes")));
    }

    @Test
    void shouldSplitARegexMatchingBothSuitesIntoEachSuitesOwnBenchmarks()
    {
        final String transportPutBytes = SuiteMetrics.key(OneSidedWriteThroughputBenchmark.class,
            "unsafeBufferPutBytes");
        final String trackingPutBytes = SuiteMetrics.key(TrackedBufferPutBytesLatencyBenchmark.class,
            "unsafeBufferPutBytes");
        final List<String> transport = BenchmarkSuite.TRANSPORT.includes(List.of(), List.of("PutBytes"));
        final List<String> tracking = BenchmarkSuite.TRACKING.includes(List.of(), List.of("PutBytes"));
        assertEquals(1, transport.size(), "" + transport);
        assertEquals(3, tracking.size(), "" + tracking); // tracked, raw and paired 4 KiB copies
        assertTrue(matchesAny(transport, transportPutBytes) && !matchesAny(transport, trackingPutBytes));
        assertTrue(matchesAny(tracking, trackingPutBytes) && !matchesAny(tracking, transportPutBytes));
        assertTrue(BenchmarkSuite.TRACKING.includes(List.of(), List.of("NoSuchBenchmark")).isEmpty());
    }

    @Test
    void shouldKeepAClassRunToThatClassEvenWithARegex()
    {
        final List<String> includes = BenchmarkSuite.TRACKING.includes(
            List.of(TrackedBufferPutLongLatencyBenchmark.class), List.of("unsafeBuffer"));
        final List<String> expected = new ArrayList<>();
        expected.add("^" + Pattern.quote(SuiteMetrics.key(TrackedBufferPutLongLatencyBenchmark.class,
            "unsafeBufferPutLong")) + "$");
        assertEquals(expected, includes);
    }

    @Test
    void shouldRunTheStepsOutsideJmhForAWholeSuiteOrARegexFindingThemButNotForAClassRun()
    {
        final BenchmarkSuite suite = BenchmarkSuite.FARMEMORY;
        assertTrue(suite.runsSteps(List.of(), List.of()));
        assertTrue(suite.runsSteps(List.of(), List.of("CountsMain")));
        assertTrue(suite.runsSteps(List.of(), List.of("NoSuch", "FarMemory")));
        assertFalse(suite.runsSteps(List.of(), List.of("MissLatency")));
        assertFalse(suite.runsSteps(List.of(FarMemoryMissLatencyBenchmark.class), List.of()));
        assertFalse(BenchmarkSuite.TRACKING.runsSteps(List.of(), List.of()), "a suite without steps");
        assertTrue(suite.includes(List.of(), List.of("CountsMain")).isEmpty(), "a step is no JMH benchmark");
        assertEquals(2, suite.includes(List.of(), List.of()).size());
    }

    @Test
    void shouldDeclareTheResilienceSuitesBenchmarksForItsMetrics()
    {
        final List<String> names = BenchmarkSuite.RESILIENCE.benchmarkNames();
        assertEquals(4, names.size(), "" + names);
        for (final SuiteMetrics.Spec spec : ResilienceMetrics.SPECS)
        {
            assertTrue(names.contains(spec.subject().key()), spec.subject().key());
            assertTrue(spec.isAbsolute() || names.contains(spec.baseline().key()), spec.id());
        }
        assertEquals(List.of("P7-xor-vs-copy", "P8-rs-encode", "P8-rs-decode"),
            ResilienceMetrics.SPECS.stream().map(SuiteMetrics.Spec::id).toList());
        assertEquals(8 * 65536 / 1e9, ResilienceStripes.GB_PER_STRIPE, 1e-12);
        assertTrue(BenchmarkSuite.RESILIENCE.interleaveByDefault());
    }

    private static boolean matchesAny(final List<String> includes, final String benchmarkName)
    {
        for (final String include : includes)
        {
            if (Pattern.compile(include).matcher(benchmarkName).find())
            {
                return true;
            }
        }
        return false;
    }
}
