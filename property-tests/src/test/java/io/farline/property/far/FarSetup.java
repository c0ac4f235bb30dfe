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
    /**
     * No redundancy: caching, write-back, prefetch-free misses; no host dies, but one may reclaim chunks (evacuated to
     * the other). Address space 8x the cache.
     */
    NONE("no redundancy", Redundancy.none(), 4, 8, 0, 0, 2, 0, LinkModel.NONE, 2, 1, false),
    /**
     * XOR over 2 data pages, two groups; up to two hosts killed (the second after the first loss is rebuilt), with
     * the periodic write-back every millisecond, prefetch and delayed completions. Address space 4x the cache.
     */
    XOR("xor 2+1", Redundancy.xor(2), 4, 16, 1, 8, 4, 2, new LinkModel(5_000, 0), 6, 1, false),
    /** Two replicas of every page; up to two hosts killed. Address space 8x the cache. */
    REPLICAS("2 replicas", Redundancy.replicas(), 4, 8, 0, 8, 7, 2, LinkModel.NONE, 5, 1, false),
    /**
     * Reed-Solomon over 2 data pages with 2 parity pages, two groups of four hosts; up to two hosts killed, the second
     * without waiting for the first loss's rebuild (m = 2 covers both, in one stripe or not), with the periodic
     * write-back and delayed completions. Seven hosts: a stripe's four, two replacements, and room for an evacuation.
     */
    REED_SOLOMON("reed-solomon 2+2", Redundancy.reedSolomon(2, 2), 4, 8, 1, 8, 4, 2, new LinkModel(5_000, 0), 7, 1,
        false),
    /**
     * Reed-Solomon 2+2 whose one host loss a trial is a host that stops heartbeating (its node paused, its memory
     * still there): the compute node declares it dead by liveness timeout, so the far memory learns of it as DEAD
     * rather than CLOSED. One planned loss leaves m = 2 room for a host wrongly judged dead in a stall of this
     * machine, the price of a short timeout. Fewer trials: each death waits for the timeout.
     */
    REED_SOLOMON_TIMEOUT("reed-solomon 2+2, a host dies by liveness timeout", Redundancy.reedSolomon(2, 2), 4, 8, 1,
        4, 4, 1, LinkModel.NONE, 6, 1, true);

    /** The setups whose host losses wait for a liveness timeout run this fraction of the trials. */
    static final int TIMEOUT_TRIALS_DIVISOR = 4;
    /** How long the compute node of {@link #REED_SOLOMON_TIMEOUT} lets a peer's heartbeat age: short, for the time. */
    static final long SHORT_LIVENESS_TIMEOUT_MS = 600;

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
    private final int maxEvacuations;
    private final boolean deathsByTimeout;

    FarSetup(final String label, final Redundancy redundancy, final int dataChunks, final int cachePages,
        final long writeBackIntervalMs, final int prefetchDepth, final int reclaimAheadPages, final int maxKills,
        final LinkModel linkModel, final int hosts, final int maxEvacuations, final boolean deathsByTimeout)
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
        this.maxEvacuations = maxEvacuations;
        this.deathsByTimeout = deathsByTimeout;
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

    Redundancy redundancy()
    {
        return redundancy;
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

    /**
     * @return reclaims a trial may make (each takes a host's free chunks and some lent ones back); later
     * {@link FarAction.Evacuate} actions are skipped. The hosts leave room for them besides the losses.
     */
    int maxEvacuations()
    {
        return maxEvacuations;
    }

    /**
     * @return whether hosts die by liveness timeout (paused) rather than by closing their node.
     */
    boolean deathsByTimeout()
    {
        return deathsByTimeout;
    }

    /**
     * @return how long the compute node lets a peer's heartbeat age before it declares it dead.
     */
    long computeLivenessTimeoutMs()
    {
        return deathsByTimeout ? SHORT_LIVENESS_TIMEOUT_MS : InProcessPool.LIVENESS_TIMEOUT_MS;
    }

    /**
     * @param trials the trials of an ordinary setup.
     * @return the trials of this one: fewer where each death waits for a liveness timeout.
     */
    int trials(final int trials)
    {
        return deathsByTimeout ? trials / TIMEOUT_TRIALS_DIVISOR : trials;
    }

    @Override
    public String toString()
    {
        return label;
    }
}
