package io.farline.bench;

import java.util.Locale;

/**
 * What one count workload of the farmemory suite ({@link FarMemoryCountsMain}) measured: {@code FarMemory}'s
 * counters over the measured part of the workload, and its prefetcher's. The child JVM prints one line per workload
 * ({@link #format()}), the runner parses it back ({@link #parse(String)}) and {@link FarMemoryMetrics} turns it into
 * metrics.
 *
 * @param workload          the workload's name, one of {@link FarMemoryCountsMain#WORKLOADS}.
 * @param operations        operations measured.
 * @param accesses          far-memory accesses served (an operation may be several).
 * @param misses            demand misses.
 * @param evictions         pages evicted.
 * @param dirtyBytes        bytes of dirty lines collected for write-back ({@code FarMemory.dirtyBytes()}).
 * @param bytesWrittenBack  bytes shipped home ({@code FarMemory.bytesWrittenBack()}).
 * @param pageGranularBytes bytes page-granular write-back would have shipped ({@code FarMemory.pageGranularBytes()}).
 * @param prefetchUsed      prefetched pages used, 0 with prefetching off.
 * @param prefetchWasted    prefetched pages evicted unused.
 * @param prefetchHitRate   {@code Prefetcher.hitRate()} at the end, 0 with prefetching off.
 * @param elapsedMs         wall time of the measured part.
 */
record FarMemoryCounts(String workload, long operations, long accesses, long misses, long evictions,
    long dirtyBytes, long bytesWrittenBack, long pageGranularBytes, long prefetchUsed, long prefetchWasted,
    double prefetchHitRate, long elapsedMs)
{
    /** What every line of counts starts with. */
    static final String PREFIX = "COUNTS";

    /**
     * @return the line the child prints: {@link #PREFIX}, then {@code name=value} fields.
     */
    String format()
    {
        return PREFIX + " workload=" + workload + " operations=" + operations + " accesses=" + accesses +
            " misses=" + misses + " evictions=" + evictions + " dirtyBytes=" + dirtyBytes + " bytesWrittenBack=" +
            bytesWrittenBack + " pageGranularBytes=" + pageGranularBytes + " prefetchUsed=" + prefetchUsed +
            " prefetchWasted=" + prefetchWasted + " prefetchHitRate=" +
            String.format(Locale.ROOT, "%.17g", prefetchHitRate) + " elapsedMs=" + elapsedMs;
    }

    /**
     * @param line a line printed by {@link #format()}.
     * @return the counts.
     * @throws IllegalArgumentException if the line is not one, naming what is wrong.
     */
    static FarMemoryCounts parse(final String line)
    {
        final FieldLine fields = FieldLine.parse(PREFIX, line);
        return new FarMemoryCounts(
            fields.text("workload"),
            fields.longValue("operations"),
            fields.longValue("accesses"),
            fields.longValue("misses"),
            fields.longValue("evictions"),
            fields.longValue("dirtyBytes"),
            fields.longValue("bytesWrittenBack"),
            fields.longValue("pageGranularBytes"),
            fields.longValue("prefetchUsed"),
            fields.longValue("prefetchWasted"),
            fields.doubleValue("prefetchHitRate"),
            fields.longValue("elapsedMs"));
    }
}
