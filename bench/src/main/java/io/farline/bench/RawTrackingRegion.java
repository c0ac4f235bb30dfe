package io.farline.bench;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * State of the unpaired baselines of the tracking benchmarks that store to dirty lines: a raw 64 MiB region of its
 * own, the size of {@link DirtyTrackedRegion}'s. It loads no tracking class, so a baseline's fork runs no tracked
 * code at all.
 */
@State(Scope.Benchmark)
public class RawTrackingRegion
{
    UnsafeBuffer buffer;

    /**
     * Allocates the region.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        buffer = TrackingRegions.allocateRaw();
    }
}
