/**
 * The far-memory page prefetcher (seed 003, "remote access with prediction"): it learns the access pattern from the
 * stream of demand misses and first uses of prefetched pages, predicts the pages that come next (a confirmed
 * stride, or a repeating delta pattern from a small delta-correlation table), and counts how many of its
 * predictions were used before they were evicted.
 * <p>
 * Conventions: a page is a page number in {@code [0, pageCount)}, a delta is the signed difference of two
 * consecutive pages in that stream, and a depth is a number of pages. Everything here is single-threaded and
 * allocation-free after construction: the far-memory code calls a {@link io.farline.core.far.prefetch.Prefetcher}
 * from the one thread that handles its misses, passes its own reusable array for the predictions, and reads the
 * counters from the same thread.
 */
package io.farline.core.far.prefetch;
