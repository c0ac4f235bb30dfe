package io.farline.core.pool;

import io.farline.transport.RegionHandle;

/**
 * A chunk of a memory host's donated memory, as lent to a compute node: where its bytes are (the host's data region
 * and the chunk's index in it) and how large it is.
 *
 * @param dataRegion     the host's data region; its node id is the host's.
 * @param chunkIndex     the chunk's index on the host.
 * @param chunkSizeBytes the chunk's size.
 */
public record Chunk(RegionHandle dataRegion, int chunkIndex, int chunkSizeBytes)
{
    /**
     * @return the host's node id.
     */
    public int hostNodeId()
    {
        return dataRegion.nodeId();
    }

    /**
     * @return the offset of the chunk's first byte in the host's data region.
     */
    public long offsetBytes()
    {
        return (long)chunkIndex * chunkSizeBytes;
    }

    @Override
    public String toString()
    {
        return "chunk " + chunkIndex + " of host " + hostNodeId();
    }
}
