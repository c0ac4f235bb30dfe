package io.farline.core.pagetable;

import io.farline.core.interconnect.InterconnectDevice;
import io.farline.core.tracking.DirtyDrainer;
import io.farline.core.tracking.DirtyRuns;
import io.farline.core.tracking.TrackedMemory;

/**
 * The page-table replicator device: drains the dirty lines of the master table's tracked memory and copies only
 * those lines into every replica.
 * <p>
 * It runs as an agent (its {@link #doWork()} is one replication pass; attach it to an interconnect or give it an
 * {@code AgentRunner}), or only on demand through {@link PageTable#sync()}. Passes are serialized by a lock: this is a
 * background path, never a reader's or an updater's. Each pass drains a whole epoch (the run buffer holds as many runs
 * as the table can have), so a pass that starts after an update has completed copies it.
 */
public final class PageTableReplicator implements InterconnectDevice
{
    private final TrackedMemory master;
    private final PageTableReplica[] replicas;
    private final DirtyDrainer drainer;
    private final DirtyRuns runs;
    private final Object passLock = new Object();
    private volatile long passes;
    private volatile long bytesCopiedPerReplica;
    private volatile long linesCopiedPerReplica;

    PageTableReplicator(final TrackedMemory master, final PageTableReplica[] replicas)
    {
        this.master = master;
        this.replicas = replicas;
        this.drainer = master.drainer();
        // Runs alternate with gaps at worst: half the units, plus one.
        this.runs = new DirtyRuns(master.geometry().unitCount() / 2 + 1);
    }

    /**
     * One replication pass.
     *
     * @return the number of runs copied.
     */
    @Override
    public int doWork()
    {
        synchronized (passLock)
        {
            final int count = drainer.drainEpoch(runs);
            long bytes = 0;
            for (int i = 0; i < count; i++)
            {
                final int offset = runs.offsetBytes(i);
                final int length = runs.lengthBytes(i);
                for (final PageTableReplica replica : replicas)
                {
                    replica.copyFrom(master.buffer(), offset, length);
                }
                bytes += length;
            }
            // Single writer (under passLock): plain read-modify-write, volatile store for readers of the counters.
            bytesCopiedPerReplica = bytesCopiedPerReplica + bytes;
            linesCopiedPerReplica = linesCopiedPerReplica + (bytes >>> master.geometry().unitShift());
            passes = passes + 1;
            return count;
        }
    }

    /**
     * @return replication passes completed.
     */
    public long passes()
    {
        return passes;
    }

    /**
     * @return bytes copied into each replica so far.
     */
    public long bytesCopiedPerReplica()
    {
        return bytesCopiedPerReplica;
    }

    /**
     * @return master lines copied into each replica so far.
     */
    public long linesCopiedPerReplica()
    {
        return linesCopiedPerReplica;
    }

    @Override
    public String roleName()
    {
        return "page-table-replicator";
    }
}
