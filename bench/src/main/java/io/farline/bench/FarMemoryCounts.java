package io.farline.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

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
        final String[] words = line.trim().split("\\s+");
        if (words.length == 0 || !PREFIX.equals(words[0]))
        {
            throw new IllegalArgumentException("not a line of counts: '" + line + "'");
        }
        final Map<String, String> fields = new HashMap<>();
        for (int i = 1; i < words.length; i++)
        {
            final int equals = words[i].indexOf('=');
            if (equals <= 0)
            {
                throw new IllegalArgumentException("field '" + words[i] + "' is not name=value in '" + line + "'");
            }
            fields.put(words[i].substring(0, equals), words[i].substring(equals + 1));
        }
        try
        {
            return new FarMemoryCounts(
                field(fields, "workload", line),
                Long.parseLong(field(fields, "operations", line)),
                Long.parseLong(field(fields, "accesses", line)),
                Long.parseLong(field(fields, "misses", line)),
                Long.parseLong(field(fields, "evictions", line)),
                Long.parseLong(field(fields, "dirtyBytes", line)),
                Long.parseLong(field(fields, "bytesWrittenBack", line)),
                Long.parseLong(field(fields, "pageGranularBytes", line)),
                Long.parseLong(field(fields, "prefetchUsed", line)),
                Long.parseLong(field(fields, "prefetchWasted", line)),
                Double.parseDouble(field(fields, "prefetchHitRate", line)),
                Long.parseLong(field(fields, "elapsedMs", line)));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("a number in '" + line + "' does not parse: " + ex.getMessage(), ex);
        }
    }

    private static String field(final Map<String, String> fields, final String name, final String line)
    {
        final String value = fields.get(name);
        if (null == value)
        {
            throw new IllegalArgumentException("no " + name + "= in '" + line + "'");
        }
        return value;
    }
}
