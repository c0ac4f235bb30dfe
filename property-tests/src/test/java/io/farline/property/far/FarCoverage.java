package io.farline.property.far;

import io.farline.core.far.FarMemory;

/**
 * What the trials of a {@link FarMemoryScenario} made happen, summed over every far memory they opened: a property
 * that never evicted or never lost a host would pass without checking what it claims to. Read from the test thread.
 */
final class FarCoverage
{
    private long trials;
    private long evictions;
    private long misses;
    private long bytesWrittenBack;
    private long hostDeaths;
    private long degradedReads;
    private long rebuiltPages;
    private long remoteReads;
    private long promotions;
    private long reopens;
    private long evacuatedChunks;
    private long reclaims;
    private long timeoutDeaths;
    private long stripeDoubleLosses;

    void onTrial()
    {
        trials++;
    }

    void onReopen()
    {
        reopens++;
    }

    /** A host asked for chunks back (some lent to the far memory). */
    void onReclaim()
    {
        reclaims++;
    }

    /** A host was declared dead by the compute node's liveness timeout, its node still open. */
    void onTimeoutDeath()
    {
        timeoutDeaths++;
    }

    /** A host died holding a chunk of a stripe that had lost another host whose loss was not yet rebuilt. */
    void onStripeDoubleLoss()
    {
        stripeDoubleLosses++;
    }

    /**
     * Adds the counters of a far memory that has been closed or detached.
     */
    void add(final FarMemory memory)
    {
        evictions += memory.evictions();
        misses += memory.misses();
        bytesWrittenBack += memory.bytesWrittenBack();
        hostDeaths += memory.hostDeaths();
        degradedReads += memory.degradedReads();
        rebuiltPages += memory.rebuiltPages();
        remoteReads += memory.remoteReads();
        promotions += memory.promotions();
        evacuatedChunks += memory.evacuatedChunks();
    }

    long trials()
    {
        return trials;
    }

    long evictions()
    {
        return evictions;
    }

    long hostDeaths()
    {
        return hostDeaths;
    }

    long rebuiltPages()
    {
        return rebuiltPages;
    }

    long evacuatedChunks()
    {
        return evacuatedChunks;
    }

    long timeoutDeaths()
    {
        return timeoutDeaths;
    }

    long stripeDoubleLosses()
    {
        return stripeDoubleLosses;
    }

    @Override
    public String toString()
    {
        return trials + " trials (shrinking runs included): " + evictions + " evictions, " + misses + " misses, " +
            bytesWrittenBack + " bytes written back, " + hostDeaths + " host deaths seen (" + timeoutDeaths +
            " by liveness timeout, " + stripeDoubleLosses + " second losses in a stripe under rebuild), " +
            degradedReads + " degraded reads, " + rebuiltPages + " pages rebuilt, " + remoteReads + " remote reads, " +
            promotions + " promotions, " + reopens + " reopens, " + reclaims + " reclaims, " + evacuatedChunks +
            " chunks evacuated";
    }
}
