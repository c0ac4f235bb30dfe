package io.farline.bench;

import io.farline.core.far.FarMemory;
import io.farline.core.far.FarMemoryConfig;
import io.farline.core.pool.PoolClient;
import io.farline.transport.Fabric;
import io.farline.transport.LinkModel;
import io.farline.transport.Node;
import org.agrona.CloseHelper;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The compute node of a benchmark trial or of the count step: this JVM's node, with a pool client, borrowing from
 * the suite's {@link FarMemoryCluster}, and the far memories opened on it. The runner starts one cluster for the
 * whole suite and names its fabric in {@value FarMemoryCluster#FABRIC_PROPERTY}; a JVM without that property (a
 * benchmark run by plain JMH) starts a cluster of its own here and stops it at {@link #close()}.
 * <p>
 * One node serves every far memory of the JVM: a node that closes and a new one that takes its id at once (within a
 * conductor scan) would not be answered by the controller (see the suite's README), so far memories are opened and
 * closed one after the other on the same node instead.
 * <p>
 * Threading: one thread. Cold.
 */
final class FarMemoryTrial implements AutoCloseable
{
    /** How long the pool client waits for the controller. */
    private static final long POOL_TIMEOUT_MS = 10_000;

    private final FarMemoryCluster ownCluster;
    private final Node node;
    private final PoolClient pool;
    private final List<FarMemory> memories = new ArrayList<>();

    private FarMemoryTrial(final FarMemoryCluster ownCluster, final Node node, final PoolClient pool)
    {
        this.ownCluster = ownCluster;
        this.node = node;
        this.pool = pool;
    }

    /**
     * Launches a compute node on the suite's fabric (or on a cluster of its own).
     *
     * @param linkModel the node's link model, {@link LinkModel#NONE} for none.
     * @return the trial.
     */
    static FarMemoryTrial start(final LinkModel linkModel)
    {
        final String fabricDirectory = System.getProperty(FarMemoryCluster.FABRIC_PROPERTY);
        FarMemoryCluster ownCluster = null;
        Node node = null;
        try
        {
            final Fabric fabric;
            if (null == fabricDirectory || fabricDirectory.isBlank())
            {
                ownCluster = FarMemoryCluster.start();
                fabric = Fabric.at(ownCluster.fabricDirectory());
            }
            else
            {
                fabric = Fabric.at(Paths.get(fabricDirectory));
            }
            node = Node.launch(BenchNodes.config(fabric).linkModel(linkModel));
            return new FarMemoryTrial(ownCluster, node, new PoolClient(node, POOL_TIMEOUT_MS));
        }
        catch (final RuntimeException | Error ex)
        {
            CloseHelper.quietCloseAll(node, ownCluster);
            throw ex;
        }
    }

    /**
     * @return the compute node.
     */
    Node node()
    {
        return node;
    }

    /**
     * @param addressSpaceBytes size of the address space.
     * @param localCacheBytes   size of the local cache.
     * @return settings with the cluster's chunk size and the defaults otherwise.
     */
    static FarMemoryConfig config(final long addressSpaceBytes, final long localCacheBytes)
    {
        return new FarMemoryConfig()
            .addressSpaceBytes(addressSpaceBytes)
            .localCacheBytes(localCacheBytes)
            .chunkSizeBytes(FarMemoryCluster.CHUNK_SIZE_BYTES);
    }

    /**
     * Opens a far memory, borrowing its chunks; the caller closes it, or {@link #close()} does.
     *
     * @param config its settings; the chunk size must be the cluster's.
     * @return the far memory.
     */
    FarMemory open(final FarMemoryConfig config)
    {
        final FarMemory memory = FarMemory.open(node, pool, config);
        memories.add(memory);
        return memory;
    }

    /**
     * Closes every far memory opened here (flushing it and returning its chunks; closing one twice is harmless),
     * the pool client and the node, and stops the cluster if this trial started it.
     */
    @Override
    public void close()
    {
        try
        {
            CloseHelper.closeAll(memories);
        }
        finally
        {
            memories.clear();
            CloseHelper.closeAll(pool, node, ownCluster);
        }
    }
}
