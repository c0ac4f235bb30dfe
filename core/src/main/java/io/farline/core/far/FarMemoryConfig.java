package io.farline.core.far;

import io.farline.core.far.prefetch.PrefetcherConfig;

import java.util.Objects;

/**
 * Settings of a {@link FarMemory}: how large its address space is, how much of it the local cache holds, the pool's
 * chunk size, how often dirty lines are written back, and how far the prefetcher may run ahead. Mutable until passed
 * to {@link FarMemory#open}; checked there.
 */
public final class FarMemoryConfig
{
    /** Default write-back period. */
    public static final long DEFAULT_WRITE_BACK_INTERVAL_MS = 10;
    /** Default chunk size: 1 MiB. */
    public static final int DEFAULT_CHUNK_SIZE_BYTES = 1 << 20;
    /** Default frames kept free by reclaiming ahead of misses. */
    public static final int DEFAULT_RECLAIM_AHEAD_PAGES = 16;

    private long addressSpaceBytes;
    private long localCacheBytes;
    private int chunkSizeBytes = DEFAULT_CHUNK_SIZE_BYTES;
    private long writeBackIntervalMs = DEFAULT_WRITE_BACK_INTERVAL_MS;
    private int prefetchDepth = PrefetcherConfig.DEFAULT_MAX_DEPTH;
    private long completionTimeoutMs = 5_000;
    private int reclaimAheadPages = DEFAULT_RECLAIM_AHEAD_PAGES;
    private Redundancy redundancy = Redundancy.none();

    /**
     * @param bytes size of the address space, a positive multiple of the chunk size.
     * @return this.
     */
    public FarMemoryConfig addressSpaceBytes(final long bytes)
    {
        this.addressSpaceBytes = bytes;
        return this;
    }

    /**
     * @param bytes size of the local cache of pages, a multiple of 4 KiB of at least two pages, at most the address
     *              space.
     * @return this.
     */
    public FarMemoryConfig localCacheBytes(final long bytes)
    {
        this.localCacheBytes = bytes;
        return this;
    }

    /**
     * @param bytes the pool's chunk size.
     * @return this.
     */
    public FarMemoryConfig chunkSizeBytes(final int bytes)
    {
        this.chunkSizeBytes = bytes;
        return this;
    }

    /**
     * @param ms period of the background write-back of dirty lines; 0 writes back only on eviction and flush.
     * @return this.
     */
    public FarMemoryConfig writeBackIntervalMs(final long ms)
    {
        this.writeBackIntervalMs = ms;
        return this;
    }

    /**
     * @param pages how many pages the prefetcher may fetch ahead of a miss; 0 turns it off.
     * @return this.
     */
    public FarMemoryConfig prefetchDepth(final int pages)
    {
        this.prefetchDepth = pages;
        return this;
    }

    /**
     * @param ms how long a READ or WRITE may take before the host counts as not answering.
     * @return this.
     */
    public FarMemoryConfig completionTimeoutMs(final long ms)
    {
        this.completionTimeoutMs = ms;
        return this;
    }

    /**
     * @param pages local frames kept free, or on their way to it, by reclaiming pages ahead of misses (default
     *              {@value #DEFAULT_RECLAIM_AHEAD_PAGES}; at most the cache's pages less one): a miss then rarely
     *              waits for a write-back. 0 reclaims only when a miss needs a frame.
     * @return this.
     */
    public FarMemoryConfig reclaimAheadPages(final int pages)
    {
        this.reclaimAheadPages = pages;
        return this;
    }

    int reclaimAheadPages()
    {
        return reclaimAheadPages;
    }

    /**
     * @param scheme how pages are protected against the loss of memory hosts (default {@link Redundancy#none()}):
     *               with parity, the address space must be a whole number of stripe groups (k chunks), and the pool
     *               must have k + m hosts with room for every group, plus a spare host to rebuild onto after a loss.
     * @return this.
     */
    public FarMemoryConfig redundancy(final Redundancy scheme)
    {
        this.redundancy = Objects.requireNonNull(scheme, "scheme");
        return this;
    }

    Redundancy redundancy()
    {
        return redundancy;
    }

    long addressSpaceBytes()
    {
        return addressSpaceBytes;
    }

    long localCacheBytes()
    {
        return localCacheBytes;
    }

    int chunkSizeBytes()
    {
        return chunkSizeBytes;
    }

    long writeBackIntervalMs()
    {
        return writeBackIntervalMs;
    }

    int prefetchDepth()
    {
        return prefetchDepth;
    }

    long completionTimeoutMs()
    {
        return completionTimeoutMs;
    }

    /**
     * @return null if the settings are consistent, else what is wrong.
     */
    String check()
    {
        final long page = FarMemory.PAGE_SIZE_BYTES;
        if (chunkSizeBytes < page || Integer.bitCount(chunkSizeBytes) != 1)
        {
            return "chunk size " + chunkSizeBytes + " must be a power of two of at least " + page;
        }
        if (addressSpaceBytes <= 0 || addressSpaceBytes % chunkSizeBytes != 0 ||
            addressSpaceBytes / page > Integer.MAX_VALUE / 2)
        {
            return "address space of " + addressSpaceBytes + " bytes must be a positive multiple of the chunk size " +
                chunkSizeBytes;
        }
        if (localCacheBytes < 2 * page || localCacheBytes % page != 0 || localCacheBytes > addressSpaceBytes ||
            localCacheBytes > (1L << 30))
        {
            return "local cache of " + localCacheBytes + " bytes must be a multiple of " + page + ", at least two " +
                "pages, at most the address space and at most 1 GiB";
        }
        if (writeBackIntervalMs < 0)
        {
            return "write-back interval " + writeBackIntervalMs + " ms is negative";
        }
        if (prefetchDepth < 0 || prefetchDepth > PrefetcherConfig.MAX_DEPTH)
        {
            return "prefetch depth " + prefetchDepth + " is outside 0.." + PrefetcherConfig.MAX_DEPTH;
        }
        if (completionTimeoutMs <= 0)
        {
            return "completion timeout " + completionTimeoutMs + " ms must be positive";
        }
        if (reclaimAheadPages < 0)
        {
            return "pages to reclaim ahead " + reclaimAheadPages + " is negative";
        }
        if (addressSpaceBytes % ((long)chunkSizeBytes * redundancy.dataPages()) != 0)
        {
            return "address space of " + addressSpaceBytes + " bytes must be a multiple of " +
                redundancy.dataPages() + " chunks of " + chunkSizeBytes + " bytes (a stripe group) for " + redundancy;
        }
        return null;
    }
}
