package io.farline.bench;

import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The baseline side of the one-sided benchmarks: a region of the same length and the same kind of memory as the
 * subject's (a mapped file in a trial directory, page-aligned), touched in-process through a plain
 * {@link UnsafeBuffer}, and the same page-aligned local buffer.
 */
@State(Scope.Benchmark)
public class LocalRegionState
{
    TrialDirectory directory;
    UnsafeBuffer region;
    UnsafeBuffer local;

    /**
     * Maps the region file and allocates the local buffer.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        directory = TrialDirectory.create();
        try
        {
            region = new UnsafeBuffer(IoUtil.mapNewFile(
                directory.resolve("baseline.region").toFile(), ChildRegionState.REGION_LENGTH_BYTES));
            local = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                ChildRegionState.LOCAL_LENGTH_BYTES, ChildRegionState.LOCAL_LENGTH_BYTES));
            for (int i = 0; i < ChildRegionState.LOCAL_LENGTH_BYTES; i++)
            {
                local.putByte(i, (byte)i);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            tearDown();
            throw ex;
        }
    }

    /**
     * Deletes the trial directory; the mapping goes with the GC.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(directory);
    }
}
