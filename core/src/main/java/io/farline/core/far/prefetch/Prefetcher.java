package io.farline.core.far.prefetch;

/**
 * Predicts the far-memory pages an application will touch next, from the pages it has just faulted on, and counts
 * how useful its predictions were.
 * <p>
 * <b>Training stream.</b> The prefetcher sees two kinds of event, and both train it: a demand miss
 * ({@link #onMiss(long, long[])}) and the first access to a page it prefetched
 * ({@link #onPrefetchUsed(long, long[])}). Counting prefetch hits as events keeps a stream that prefetching has
 * made miss-free visible, so the prefetcher stays ahead of it instead of seeing only the gaps it failed to cover. A
 * delta is the difference between an event's page and the previous event's page; an event on the same page as the
 * previous one is ignored.
 * <p>
 * <b>Prediction.</b> Two strategies, tried in this order, and nothing when neither is confident:
 * <ol>
 * <li>A delta-correlation table (an order-2 Markov model, see {@link PrefetcherConfig#deltaTableSize()}) maps the
 * last two deltas to the delta that followed them last time, with a saturating confidence. When the current context
 * has at least {@link PrefetcherConfig#minConfidence()}, the prefetcher walks the chain of predicted deltas up to
 * {@link PrefetcherConfig#maxDepth()} steps, stopping at the first context that is unknown or not confident. This
 * learns repeating non-constant patterns (deltas +1, +3, +1, +3; a pointer chase over a fixed set of pages), and
 * strides once they have lasted a few events.</li>
 * <li>A stride detector: once the last two deltas are equal (three events in arithmetic progression) the stride is
 * confirmed and the prefetcher issues pages ahead along it, 2 pages deep, doubling with each further confirming
 * event up to {@link PrefetcherConfig#maxDepth()}; any other delta resets it.</li>
 * </ol>
 * Pages already issued and still pending are not issued again (a small lossy set remembers them), so in a steady
 * stream each event issues about one new page: the one that keeps the window {@code maxDepth} pages ahead.
 * <p>
 * <b>Caller contract.</b> Every page returned in {@code predictions} counts as issued. For each, the caller either
 * fetches it and later reports exactly one of {@link #onPrefetchUsed(long, long[])} (first access) or
 * {@link #onPrefetchWasted(long)} (evicted or discarded never accessed), or does not fetch it (already local or in
 * flight, no frame free) and reports {@link #onPrefetchCancelled(long)} at once. A demand access to a page whose
 * prefetch is still in flight is a use, not a miss.
 * <p>
 * <b>Counters.</b> {@link #hitRate()} is {@code used / (used + wasted)}: of the prefetched pages whose fate is known,
 * the fraction that were accessed before being evicted or discarded; pages still pending do not count.
 * {@link #coverage()} is {@code used / (used + misses)}: the fraction of the faults the application would have taken
 * without prefetching (approximately) that prefetching served.
 * <p>
 * Threading: not thread-safe. One thread, the one that handles the region's misses, calls every method, counters
 * included. Memory: all state is allocated by the constructor; no method other than {@link #toString()} allocates.
 */
public final class Prefetcher
{
    private final PrefetcherConfig config;
    private final long pageCount;
    private final int maxDepth;
    private final int minConfidence;
    private final DeltaTable deltaTable;
    private final PendingPrefetches pending;

    private int historyLength;
    private long lastPage;
    private long lastDelta;
    private long olderDelta;
    private int equalDeltas;

    private long missCount;
    private long issuedCount;
    private long usedCount;
    private long wastedCount;
    private long cancelledCount;

    /**
     * @param config the settings, already checked.
     */
    public Prefetcher(final PrefetcherConfig config)
    {
        this.config = config;
        this.pageCount = config.pageCount();
        this.maxDepth = config.maxDepth();
        this.minConfidence = config.minConfidence();
        this.deltaTable = new DeltaTable(config.deltaTableSize());
        this.pending = new PendingPrefetches(PendingPrefetches.sizeFor(config.maxDepth()));
    }

    /**
     * @return the settings this prefetcher was built with.
     */
    public PrefetcherConfig config()
    {
        return config;
    }

    /**
     * A demand access missed the local cache: learn from it and predict the pages to prefetch.
     *
     * @param page        the page that missed, in {@code [0, pageCount)}.
     * @param predictions the caller's array, reused across calls, that receives the pages to prefetch in its first
     *                    elements, nearest first; its length caps how many are returned (0 to only train).
     * @return the number of pages written to {@code predictions}, from 0 to
     * {@code min(predictions.length, maxDepth)}; they are distinct, each is in {@code [0, pageCount)} and differs
     * from {@code page}, and each counts as issued.
     * @throws IndexOutOfBoundsException if the page is outside {@code [0, pageCount)}.
     */
    public int onMiss(final long page, final long[] predictions)
    {
        checkPage(page);
        missCount++;
        // A page that misses is not local, so any pending prefetch of it is over; let it be issued again.
        pending.remove(page);
        return onEvent(page, predictions);
    }

    /**
     * A page this prefetcher issued was accessed for the first time (also when the access had to wait for the
     * prefetch to arrive): count it as used, learn from the access as from a miss, and predict further pages.
     *
     * @param page        the prefetched page, in {@code [0, pageCount)}.
     * @param predictions as for {@link #onMiss(long, long[])}.
     * @return as for {@link #onMiss(long, long[])}.
     * @throws IndexOutOfBoundsException if the page is outside {@code [0, pageCount)}.
     */
    public int onPrefetchUsed(final long page, final long[] predictions)
    {
        checkPage(page);
        usedCount++;
        pending.remove(page);
        return onEvent(page, predictions);
    }

    /**
     * A page this prefetcher issued was evicted or discarded without having been accessed: count it as wasted.
     *
     * @param page the prefetched page, in {@code [0, pageCount)}.
     * @throws IndexOutOfBoundsException if the page is outside {@code [0, pageCount)}.
     */
    public void onPrefetchWasted(final long page)
    {
        checkPage(page);
        wastedCount++;
        pending.remove(page);
    }

    /**
     * The caller did not fetch a page this prefetcher returned (already local or in flight, or no frame free): it no
     * longer counts as issued.
     *
     * @param page the returned page, in {@code [0, pageCount)}.
     * @throws IndexOutOfBoundsException if the page is outside {@code [0, pageCount)}.
     */
    public void onPrefetchCancelled(final long page)
    {
        checkPage(page);
        issuedCount--;
        cancelledCount++;
        pending.remove(page);
    }

    /**
     * @return the number of demand misses reported by {@link #onMiss(long, long[])}.
     */
    public long missCount()
    {
        return missCount;
    }

    /**
     * @return the number of pages returned as predictions, less those cancelled.
     */
    public long issuedCount()
    {
        return issuedCount;
    }

    /**
     * @return the number of prefetched pages reported used.
     */
    public long usedCount()
    {
        return usedCount;
    }

    /**
     * @return the number of prefetched pages reported wasted.
     */
    public long wastedCount()
    {
        return wastedCount;
    }

    /**
     * @return the number of returned pages reported cancelled.
     */
    public long cancelledCount()
    {
        return cancelledCount;
    }

    /**
     * @return issued pages whose fate is not known yet: {@code issued - used - wasted}.
     */
    public long pendingCount()
    {
        return issuedCount - usedCount - wastedCount;
    }

    /**
     * @return {@code used / (used + wasted)}, from 0 to 1; 0 while no prefetch has been used or wasted.
     */
    public double hitRate()
    {
        final long resolved = usedCount + wastedCount;
        return 0 == resolved ? 0.0 : (double)usedCount / resolved;
    }

    /**
     * @return {@code used / (used + misses)}, from 0 to 1; 0 before any event.
     */
    public double coverage()
    {
        final long faults = usedCount + missCount;
        return 0 == faults ? 0.0 : (double)usedCount / faults;
    }

    private int onEvent(final long page, final long[] predictions)
    {
        if (historyLength > 0)
        {
            final long delta = page - lastPage;
            if (0 == delta)
            {
                return 0;
            }
            if (historyLength > 2)
            {
                deltaTable.update(olderDelta, lastDelta, delta);
            }
            if (historyLength > 1 && delta == lastDelta)
            {
                equalDeltas = Math.min(equalDeltas + 1, Integer.SIZE - 1);
            }
            else
            {
                equalDeltas = 1;
            }
            olderDelta = lastDelta;
            lastDelta = delta;
        }
        lastPage = page;
        if (historyLength < 3)
        {
            historyLength++;
        }

        final int limit = Math.min(predictions.length, maxDepth);
        if (0 == limit)
        {
            return 0;
        }
        int count = 0;
        if (historyLength > 2)
        {
            count = predictFromTable(page, predictions, limit);
        }
        if (count < 0)
        {
            // The table had no confident prediction; a confirmed stride is the fallback.
            count = equalDeltas >= 2 ? predictStride(page, predictions, limit) : 0;
        }
        issuedCount += count;
        return count;
    }

    /**
     * Walks the chain of confident predicted deltas from the current context.
     *
     * @return the number of pages written, or -1 if the current context itself has no confident prediction.
     */
    private int predictFromTable(final long page, final long[] predictions, final int limit)
    {
        final DeltaTable deltaTable = this.deltaTable;
        long older = olderDelta;
        long newer = lastDelta;
        long candidate = page;
        int count = 0;
        for (int step = 0; step < limit; step++)
        {
            final int slot = deltaTable.find(older, newer);
            if (DeltaTable.NOT_FOUND == slot || deltaTable.confidence(slot) < minConfidence)
            {
                return 0 == step ? -1 : count;
            }
            final long delta = deltaTable.nextDelta(slot);
            if (!inRange(candidate, delta))
            {
                break;
            }
            candidate += delta;
            count = offerDistinct(page, candidate, predictions, count);
            older = newer;
            newer = delta;
        }
        return count;
    }

    private int predictStride(final long page, final long[] predictions, final int limit)
    {
        final long stride = lastDelta;
        // 2 pages deep once confirmed, doubling with each further equal delta: 2, 4, 8, ... up to the limit.
        final int depth = equalDeltas > 6 ? limit : Math.min(limit, 1 << (equalDeltas - 1));
        long candidate = page;
        int count = 0;
        for (int k = 0; k < depth; k++)
        {
            if (!inRange(candidate, stride))
            {
                break;
            }
            candidate += stride;
            count = offer(page, candidate, predictions, count);
        }
        return count;
    }

    /**
     * As {@link #offer(long, long, long[], int)}, also skipping a page this call already returned: a chain can come
     * back to a page within one walk, and the lossy pending set may have forgotten it by then.
     */
    private int offerDistinct(final long page, final long candidate, final long[] predictions, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (predictions[i] == candidate)
            {
                return count;
            }
        }
        return offer(page, candidate, predictions, count);
    }

    /**
     * Appends a candidate unless it is the event's own page or already pending.
     */
    private int offer(final long page, final long candidate, final long[] predictions, final int count)
    {
        if (candidate != page && pending.add(candidate))
        {
            predictions[count] = candidate;
            return count + 1;
        }
        return count;
    }

    /**
     * @return true if {@code from + delta} is in {@code [0, pageCount)}, given {@code from} is; never overflows.
     */
    private boolean inRange(final long from, final long delta)
    {
        return delta >= 0 ? delta < pageCount - from : delta >= -from;
    }

    private void checkPage(final long page)
    {
        if (page < 0 || page >= pageCount)
        {
            throw pageOutOfRange(page);
        }
    }

    private IndexOutOfBoundsException pageOutOfRange(final long page)
    {
        return new IndexOutOfBoundsException("page " + page + " is outside [0, " + pageCount + ")");
    }

    @Override
    public String toString()
    {
        return "Prefetcher{misses=" + missCount + ", issued=" + issuedCount + ", used=" + usedCount + ", wasted=" +
            wastedCount + ", cancelled=" + cancelledCount + ", hitRate=" + hitRate() + ", coverage=" + coverage() +
            '}';
    }
}
