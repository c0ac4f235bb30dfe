package io.farline.bench;

import io.farline.core.tracking.TrackedBuffer;
import io.farline.core.tracking.TrackedMemory;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * State of the tracking benchmarks that store to dirty lines: a 64 MiB tracked region with every line dirty, as it is
 * in steady state (nothing drains it, so every line stays dirty), its tracked buffer (the subjects) and its untracked
 * view (the paired baselines, {@link PairedTimes}). The benchmark thread owns the region; it is freed at the end of
 * the trial.
 */
@State(Scope.Benchmark)
public class DirtyTrackedRegion
{
    TrackedMemory memory;
    TrackedBuffer buffer;
    UnsafeBuffer untracked;

    /**
     * Allocates the region and marks every line dirty.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        memory = TrackingRegions.allocateTracked();
        TrackingRegions.markAllDirty(memory);
        buffer = memory.buffer();
        untracked = memory.untrackedView();
    }

    /**
     * Releases the region.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.close(memory);
    }
}
