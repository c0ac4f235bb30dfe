package io.farline.core.far.prefetch;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A local page cache of a fixed number of frames with LRU replacement, in front of a {@link Prefetcher}, driven by a
 * trace of page accesses. It follows the prefetcher's caller contract: a miss calls {@code onMiss}, the first access
 * to a prefetched page calls {@code onPrefetchUsed}, a prefetched page evicted unused calls {@code onPrefetchWasted},
 * and a prediction that is already local is cancelled. Prefetches arrive at once and enter at the MRU end.
 * <p>
 * It also checks every answer against the contract (count within the array, pages in range, never the accessed
 * page) and keeps its own counts, so that tests can compare them with the prefetcher's.
 */
final class LruCacheSimulation
{
    /** Replays a failed run: {@code -Dfarline.prefetch.seed=...}. */
    static final String SEED_PROPERTY = "farline.prefetch.seed";

    private final Prefetcher prefetcher;
    private final int frames;
    private final long[] predictions;
    private final String label;
    // Value: true while the page was prefetched and has not been accessed yet.
    private final LinkedHashMap<Long, Boolean> cache;

    private long accesses;
    private long hits;
    private long misses;
    private long used;
    private long wasted;
    private long cancelled;

    LruCacheSimulation(final Prefetcher prefetcher, final int frames, final int predictionCapacity, final String label)
    {
        this.prefetcher = prefetcher;
        this.frames = frames;
        this.predictions = new long[predictionCapacity];
        this.label = label;
        this.cache = new LinkedHashMap<>(frames * 2, 0.75f, true);
    }

    /**
     * @return a fresh seed, or the one given by {@link #SEED_PROPERTY} to replay a failure.
     */
    static long newSeed()
    {
        return Long.getLong(SEED_PROPERTY, System.nanoTime());
    }

    void access(final long page)
    {
        accesses++;
        final Boolean unusedPrefetch = cache.get(page);
        if (null != unusedPrefetch)
        {
            hits++;
            if (unusedPrefetch)
            {
                used++;
                cache.put(page, Boolean.FALSE);
                apply(page, prefetcher.onPrefetchUsed(page, predictions));
            }
            return;
        }
        misses++;
        final int count = prefetcher.onMiss(page, predictions);
        insert(page, false);
        apply(page, count);
    }

    void accessAll(final long[] trace)
    {
        for (final long page : trace)
        {
            access(page);
        }
    }

    private void apply(final long page, final int count)
    {
        if (count < 0 || count > predictions.length)
        {
            throw new AssertionError(label + ": count " + count + " outside [0, " + predictions.length + "]");
        }
        for (int i = 0; i < count; i++)
        {
            final long predicted = predictions[i];
            if (predicted < 0 || predicted >= prefetcher.config().pageCount() || predicted == page)
            {
                throw new AssertionError(label + ": access to page " + page + " predicted page " + predicted +
                    " (page count " + prefetcher.config().pageCount() + ")");
            }
            if (cache.containsKey(predicted))
            {
                cancelled++;
                prefetcher.onPrefetchCancelled(predicted);
            }
            else
            {
                insert(predicted, true);
            }
        }
    }

    private void insert(final long page, final boolean prefetched)
    {
        if (cache.size() == frames)
        {
            final Iterator<Map.Entry<Long, Boolean>> eldest = cache.entrySet().iterator();
            final Map.Entry<Long, Boolean> victim = eldest.next();
            if (victim.getValue())
            {
                wasted++;
                prefetcher.onPrefetchWasted(victim.getKey());
            }
            eldest.remove();
        }
        cache.put(page, prefetched);
    }

    Prefetcher prefetcher()
    {
        return prefetcher;
    }

    long accesses()
    {
        return accesses;
    }

    long hits()
    {
        return hits;
    }

    long misses()
    {
        return misses;
    }

    long used()
    {
        return used;
    }

    long wasted()
    {
        return wasted;
    }

    long cancelled()
    {
        return cancelled;
    }

    /**
     * @return the fraction of accesses that found their page local.
     */
    double cacheHitRate()
    {
        return 0 == accesses ? 0.0 : (double)hits / accesses;
    }

    String summary()
    {
        return String.format("%s: accesses=%d misses=%d prefetchHitRate=%.4f coverage=%.4f issued=%d used=%d " +
            "wasted=%d cancelled=%d cacheHitRate=%.4f", label, accesses, misses, prefetcher.hitRate(),
            prefetcher.coverage(), prefetcher.issuedCount(), used, wasted, cancelled, cacheHitRate());
    }
}
