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

    void onTrial()
    {
        trials++;
    }

    void onReopen()
    {
        reopens++;
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

    @Override
    public String toString()
    {
        return trials + " trials (shrinking runs included): " + evictions + " evictions, " + misses + " misses, " +
            bytesWrittenBack + " bytes written back, " + hostDeaths + " host deaths seen, " + degradedReads +
            " degraded reads, " + rebuiltPages + " pages rebuilt, " + remoteReads + " remote reads, " + promotions +
            " promotions, " + reopens + " reopens";
    }
}
