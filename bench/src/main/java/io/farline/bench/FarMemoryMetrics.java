package io.farline.bench;

import io.farline.bench.SuiteMetrics.Figure;
import io.farline.bench.SuiteMetrics.GoalKind;
import io.farline.bench.SuiteMetrics.Measured;
import io.farline.bench.SuiteMetrics.Metric;
import io.farline.bench.SuiteMetrics.Side;
import io.farline.bench.SuiteMetrics.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.farline.bench.SuiteMetrics.key;

/**
 * The metrics of the farmemory suite: far memory ({@code io.farline.core.far.FarMemory}) borrowing from a pool of
 * memory hosts in child JVMs.
 * <p>
 * The count metrics (P3 write-back bytes, P11 prefetch hits) are ratios of {@code FarMemory}'s counters over seeded
 * workloads, computed here from the {@link FarMemoryCounts} the count step ({@link FarMemoryCountsMain}) reports:
 * they do not depend on timing, so one run of each workload gives them. The timing metrics (P11 miss latency, the
 * mix throughputs) are JMH benchmarks, medians over forks.
 */
final class FarMemoryMetrics
{
    static final String SUITE = "farmemory";

    /** The benchmark classes of the suite. */
    static final List<Class<?>> CLASSES = List.of(
        FarMemoryMissLatencyBenchmark.class,
        FarMemoryMixThroughputBenchmark.class);

    /** Unit of the latency metrics. */
    static final String MICROSECONDS = "µs";
    /** Unit of the throughput metrics. */
    static final String OPS_PER_SECOND = "ops/s";
    /** Raw unit of the byte counters. */
    static final String BYTES = "B";
    /** Raw unit of the prefetch counters. */
    static final String PAGES = "pages";

    private static final String LINK_ON = " link=" + FarMemoryMissLatencyBenchmark.LINK_ON;
    private static final String LINK_OFF = " link=" + FarMemoryMissLatencyBenchmark.LINK_OFF;
    private static final String LINK_DESCRIPTION = "link model " +
        FarMemoryMissLatencyBenchmark.LINK_LATENCY_NS / 1000 + " µs one-way (READ round trip 2 µs) at 12.5 GB/s";
    private static final String MISS_SETUP = "64 MiB of far memory over a 4 MiB cache on 2 host JVMs, prefetch off, " +
        "pages in a random cycle so every access misses (checked)";
    private static final String COUNT_SETUP = "64 MiB of far memory over an 8 MiB cache on 2 host JVMs, write-back " +
        "every " + FarMemoryCountsMain.FLUSH_PERIOD_OPERATIONS + " operations and on eviction";

    /** The metrics measured by JMH. */
    static final List<Spec> SPECS = List.of(
        Spec.absolute("P11-miss-latency", GoalKind.AT_MOST, 2.0,
            missSide("lineFirstMiss", LINK_OFF, "getLong missing the local cache, served line first, no link model, " +
                "p50 of samples; " + MISS_SETUP),
            MICROSECONDS, 1.0),
        Spec.absolute("P11-miss-latency-link", GoalKind.RECORD, 0,
            missSide("lineFirstMiss", LINK_ON, "getLong missing the local cache, served line first, " +
                LINK_DESCRIPTION + ", p50 of samples; " + MISS_SETUP),
            MICROSECONDS, 1.0),
        new Spec("P11-miss-latency-link-vs-page", GoalKind.RECORD, 0,
            missSide("lineFirstMiss", LINK_ON, "getLong miss served line first, " + LINK_DESCRIPTION + ", p50"),
            missSide("wholePageMiss", LINK_ON, "getBytes of the whole missed page (one 4 KiB READ, page-granular " +
                "fetch, plus the 4 KiB copy out), " + LINK_DESCRIPTION + ", p50")),
        new Spec("P11-miss-latency-vs-page", GoalKind.RECORD, 0,
            missSide("lineFirstMiss", LINK_OFF, "getLong miss served line first, no link model, p50"),
            missSide("wholePageMiss", LINK_OFF, "getBytes of the whole missed page (one 4 KiB READ, plus the 4 KiB " +
                "copy out), no link model, p50")),
        mix(1),
        mix(2),
        mix(8));

    /** The metrics computed from the count step, in the order they are reported. */
    static final List<CountSpec> COUNT_SPECS = List.of(
        new CountSpec(new Spec("P3-writeback-vs-dirty", GoalKind.AT_MOST, 1.03,
            countSide(FarMemoryCountsMain.RANDOM_UPDATES, "bytes written back (FarMemory.bytesWrittenBack()) over " +
                FarMemoryCountsMain.MEASURED_OPERATIONS + " random updates (half putLong, half putBytes of 1-256 " +
                "bytes); " + COUNT_SETUP),
            countSide(FarMemoryCountsMain.RANDOM_UPDATES, "dirty bytes collected (FarMemory.dirtyBytes())"),
            true, SuiteMetrics.RATIO_UNIT, 1.0),
            FarMemoryCountsMain.RANDOM_UPDATES, Counter.BYTES_WRITTEN_BACK, Counter.DIRTY_BYTES),
        pageRatio("P3-writeback-vs-page-random", GoalKind.AT_LEAST, 10, FarMemoryCountsMain.RANDOM_LONGS,
            FarMemoryCountsMain.MEASURED_OPERATIONS + " putLong at random 8-byte-aligned addresses"),
        pageRatio("P3-writeback-vs-page-ycsb", GoalKind.AT_LEAST, 10, FarMemoryCountsMain.YCSB_A,
            FarMemoryCountsMain.MEASURED_OPERATIONS + " YCSB-A operations (50% reads, 50% updates of 100-byte " +
                "values in fixed slots, scrambled zipfian keys, theta 0.99)"),
        pageRatio("P3-writeback-vs-page-sequential", GoalKind.RECORD, 0, FarMemoryCountsMain.SEQUENTIAL,
            "putLong to every 8 bytes of the address space in order"),
        new CountSpec(new Spec("P11-prefetch-hits", GoalKind.AT_LEAST, 0.9,
            countSide(FarMemoryCountsMain.STRIDED_SCAN, "prefetched pages used (Prefetcher.usedCount()) on a scan " +
                "reading every " + FarMemoryCountsMain.SCAN_STRIDE_PAGES + "rd page of 64 MiB over an 8 MiB cache, " +
                "prefetch depth 8; the value is Prefetcher.hitRate()"),
            countSide(FarMemoryCountsMain.STRIDED_SCAN, "prefetched pages used or evicted unused (used + wasted)"),
            true, SuiteMetrics.RATIO_UNIT, 1.0),
            FarMemoryCountsMain.STRIDED_SCAN, Counter.PREFETCH_USED, Counter.PREFETCH_RESOLVED));

    /** Largest difference allowed between the prefetcher's hit rate and used / (used + wasted). */
    private static final double HIT_RATE_TOLERANCE = 1e-9;

    /** A counter of a {@link FarMemoryCounts}. */
    enum Counter
    {
        BYTES_WRITTEN_BACK(BYTES),
        DIRTY_BYTES(BYTES),
        PAGE_GRANULAR_BYTES(BYTES),
        PREFETCH_USED(PAGES),
        /** Prefetched pages whose fate is known: used or wasted. */
        PREFETCH_RESOLVED(PAGES);

        private final String unit;

        Counter(final String unit)
        {
            this.unit = unit;
        }

        long of(final FarMemoryCounts counts)
        {
            switch (this)
            {
                case BYTES_WRITTEN_BACK:
                    return counts.bytesWrittenBack();
                case DIRTY_BYTES:
                    return counts.dirtyBytes();
                case PAGE_GRANULAR_BYTES:
                    return counts.pageGranularBytes();
                case PREFETCH_USED:
                    return counts.prefetchUsed();
                default:
                    return counts.prefetchUsed() + counts.prefetchWasted();
            }
        }

        String unit()
        {
            return unit;
        }
    }

    /**
     * A count metric: subject counter ÷ baseline counter of one workload.
     *
     * @param spec     the metric.
     * @param workload the workload whose counts it uses.
     * @param subject  the numerator.
     * @param baseline the denominator.
     */
    record CountSpec(Spec spec, String workload, Counter subject, Counter baseline)
    {
    }

    private FarMemoryMetrics()
    {
    }

    /**
     * @param countsByWorkload the count step's results, by workload.
     * @return every count metric, with an error for those whose workload did not report or whose counters cannot
     * make a ratio.
     */
    static List<Metric> countMetrics(final Map<String, FarMemoryCounts> countsByWorkload)
    {
        final List<Metric> metrics = new ArrayList<>();
        for (final CountSpec countSpec : COUNT_SPECS)
        {
            final FarMemoryCounts counts = countsByWorkload.get(countSpec.workload());
            if (null == counts)
            {
                metrics.add(failed(countSpec.spec(), "the count step reported no workload '" +
                    countSpec.workload() + "'"));
                continue;
            }
            final long subject = countSpec.subject().of(counts);
            final long baseline = countSpec.baseline().of(counts);
            if (baseline <= 0)
            {
                metrics.add(failed(countSpec.spec(), "workload '" + countSpec.workload() + "' counted no " +
                    countSpec.baseline().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
                continue;
            }
            Metric metric = SuiteMetrics.metric(countSpec.spec(), measured(subject, countSpec.subject().unit()),
                measured(baseline, countSpec.baseline().unit()));
            if (Counter.PREFETCH_USED == countSpec.subject() &&
                Math.abs(metric.value() - counts.prefetchHitRate()) > HIT_RATE_TOLERANCE)
            {
                metric = new Metric(metric.spec(), metric.subject(), metric.baseline(), Double.NaN, false,
                    "Prefetcher.hitRate() " + counts.prefetchHitRate() + " is not used / (used + wasted) " +
                    metric.value() + ": the counters disagree");
            }
            metrics.add(metric);
        }
        return metrics;
    }

    /**
     * @param reason why the count step gave nothing.
     * @return every count metric, failed with that reason.
     */
    static List<Metric> failedCountMetrics(final String reason)
    {
        final List<Metric> metrics = new ArrayList<>();
        for (final CountSpec countSpec : COUNT_SPECS)
        {
            metrics.add(failed(countSpec.spec(), reason));
        }
        return metrics;
    }

    private static Metric failed(final Spec spec, final String error)
    {
        return new Metric(spec, Measured.NONE, Measured.NONE, Double.NaN, false, error);
    }

    private static Measured measured(final long value, final String unit)
    {
        return new Measured(new double[]{ value }, value, unit);
    }

    private static CountSpec pageRatio(final String id, final GoalKind goalKind, final double threshold,
        final String workload, final String what)
    {
        return new CountSpec(new Spec(id, goalKind, threshold,
            countSide(workload, "bytes page-granular write-back would have shipped (FarMemory.pageGranularBytes()) " +
                "over " + what + "; " + COUNT_SETUP),
            countSide(workload, "bytes Farline wrote back, dirty lines only (FarMemory.bytesWrittenBack())"),
            true, SuiteMetrics.RATIO_UNIT, 1.0),
            workload, Counter.PAGE_GRANULAR_BYTES, Counter.BYTES_WRITTEN_BACK);
    }

    private static Side countSide(final String workload, final String description)
    {
        return new Side(FarMemoryCountsMain.STEP_NAME + " workload=" + workload, Figure.SCORE, description);
    }

    private static Side missSide(final String method, final String link, final String description)
    {
        return new Side(key(FarMemoryMissLatencyBenchmark.class, method) + link, Figure.SAMPLE_P50, description);
    }

    private static Spec mix(final int multiple)
    {
        return Spec.absolute("farmemory-mix-" + multiple + "x", GoalKind.RECORD, 0,
            new Side(key(FarMemoryMixThroughputBenchmark.class, "readWriteMix") + " workingSetMultiple=" + multiple,
                Figure.SCORE, "random 50/50 getLong/putLong over a working set of " + multiple + "x the 16 MiB " +
                "local cache, 2 host JVMs, default write-back (10 ms) and prefetch (8 pages)"),
            OPS_PER_SECOND, 1.0);
    }
}
