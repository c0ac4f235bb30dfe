package io.farline.property.far;

import io.farline.core.far.FarMemory;
import io.farline.core.far.FarMemoryConfig;
import io.farline.core.far.Redundancy;
import io.farline.transport.LinkModel;

/**
 * The far memories {@link FarMemoryAgreesWithModelProperty} checks: each an address space several times its local cache
 * (pages are evicted and fetched back all the time), in 64 KiB chunks so that a pool of a few hosts holds it. The
 * settings differ where a bug could hide: redundancy, periodic write-back, prefetch, reclaim ahead, and delayed
 * completions (WRITEs still in flight when a host dies).
 */
enum FarSetup
{
    /** No redundancy: caching, write-back, prefetch-free misses; no host dies. Address space 8x the cache. */
    NONE("no redundancy", Redundancy.none(), 4, 8, 0, 0, 2, 0, LinkModel.NONE, 2),
    /**
     * XOR over 2 data pages, two groups; up to two hosts killed (the second after the first loss is rebuilt), with
     * the periodic write-back every millisecond, prefetch and delayed completions. Address space 4x the cache.
     */
    XOR("xor 2+1", Redundancy.xor(2), 4, 16, 1, 8, 4, 2, new LinkModel(5_000, 0), 5),
    /** Two replicas of every page; up to two hosts killed. Address space 8x the cache. */
    REPLICAS("2 replicas", Redundancy.replicas(), 4, 8, 0, 8, 7, 2, LinkModel.NONE, 4);

    /** The pool's chunk size: the smallest a memory host takes. */
    static final int CHUNK_SIZE_BYTES = 64 * 1024;
    /** What each memory host donates: room for every chunk of a far memory, and for the rebuilds of two losses. */
    static final long DONATE_BYTES = 16L * CHUNK_SIZE_BYTES;

    private final String label;
    private final Redundancy redundancy;
    private final int dataChunks;
    private final int cachePages;
    private final long writeBackIntervalMs;
    private final int prefetchDepth;
    private final int reclaimAheadPages;
    private final int maxKills;
    private final LinkModel linkModel;
    private final int hosts;

    FarSetup(final String label, final Redundancy redundancy, final int dataChunks, final int cachePages,
        final long writeBackIntervalMs, final int prefetchDepth, final int reclaimAheadPages, final int maxKills,
        final LinkModel linkModel, final int hosts)
    {
        this.label = label;
        this.redundancy = redundancy;
        this.dataChunks = dataChunks;
        this.cachePages = cachePages;
        this.writeBackIntervalMs = writeBackIntervalMs;
        this.prefetchDepth = prefetchDepth;
        this.reclaimAheadPages = reclaimAheadPages;
        this.maxKills = maxKills;
        this.linkModel = linkModel;
        this.hosts = hosts;
    }

    /**
     * @return a fresh configuration of the far memory (configurations are mutable).
     */
    FarMemoryConfig config()
    {
        return new FarMemoryConfig().addressSpaceBytes(addressSpaceBytes()).localCacheBytes(
            (long)cachePages * FarMemory.PAGE_SIZE_BYTES).chunkSizeBytes(CHUNK_SIZE_BYTES)
            .writeBackIntervalMs(writeBackIntervalMs).prefetchDepth(prefetchDepth)
            .reclaimAheadPages(reclaimAheadPages).redundancy(redundancy).completionTimeoutMs(10_000);
    }

    long addressSpaceBytes()
    {
        return (long)dataChunks * CHUNK_SIZE_BYTES;
    }

    int cachePages()
    {
        return cachePages;
    }

    /**
     * @return host losses a trial may make; later {@link FarAction.KillHost} actions are skipped.
     */
    int maxKills()
    {
        return maxKills;
    }

    LinkModel linkModel()
    {
        return linkModel;
    }

    /**
     * @return memory hosts kept in the pool: every stripe on distinct hosts, and a spare for each loss's rebuild.
     */
    int hosts()
    {
        return hosts;
    }

    @Override
    public String toString()
    {
        return label;
    }
}
