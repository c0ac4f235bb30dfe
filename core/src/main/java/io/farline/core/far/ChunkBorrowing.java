package io.farline.core.far;

import io.farline.core.pool.Chunk;
import io.farline.core.pool.PoolClient;
import io.farline.core.pool.PoolException;
import io.farline.transport.Node;
import io.farline.transport.PeerState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How {@link FarMemory#open} borrows the chunks of a new address space: the data chunks, and with parity each stripe
 * group's k + m chunks on k + m distinct hosts, never on a host this node already knows dead. Runs once, at open,
 * off the access path.
 */
final class ChunkBorrowing
{
    private ChunkBorrowing()
    {
    }

    /**
     * Borrows the chunks, again without a host this node already knows dead: the controller may not have noticed
     * the death yet (each node has its own view of liveness).
     *
     * @param node   the compute node, whose view of liveness is checked.
     * @param pool   its pool client.
     * @param config the settings: address space, chunk size and redundancy.
     * @return data chunks, then parity chunks, in slot order (see {@link StripeMap}).
     * @throws PoolException if the pool cannot lend them, or lent chunks on dead hosts three times.
     */
    static List<Chunk> borrowOnLiveHosts(final Node node, final PoolClient pool, final FarMemoryConfig config)
    {
        final int dataChunks = (int)(config.addressSpaceBytes() / config.chunkSizeBytes());
        int[] excluded = new int[0];
        for (int attempt = 0; ; attempt++)
        {
            final List<Chunk> chunks = config.redundancy().enabled() ?
                borrowStripeGroups(pool, config, dataChunks, excluded) :
                pool.allocate(dataChunks, config.chunkSizeBytes(), excluded);
            final int[] dead = chunks.stream().mapToInt(Chunk::hostNodeId).distinct()
                .filter(host -> node.peerState(host) == PeerState.DEAD).toArray();
            if (0 == dead.length)
            {
                return chunks;
            }
            pool.release(chunks);
            if (attempt == 2)
            {
                throw new PoolException("the pool lent chunks on hosts this node knows dead " +
                    Arrays.toString(dead) + ", three times");
            }
            excluded = IntStream.concat(Arrays.stream(excluded), Arrays.stream(dead)).toArray();
        }
    }

    /**
     * Borrows each stripe group's k + m chunks on k + m distinct hosts, none excluded.
     *
     * @return data chunks, then parity chunks, in slot order (see {@link StripeMap}).
     */
    private static List<Chunk> borrowStripeGroups(final PoolClient pool, final FarMemoryConfig config,
        final int dataChunks, final int[] excluded)
    {
        final int k = config.redundancy().dataPages();
        final int m = config.redundancy().parityPages();
        final List<Chunk> data = new ArrayList<>();
        final List<Chunk> parity = new ArrayList<>();
        try
        {
            for (int group = 0; group < dataChunks / k; group++)
            {
                final List<Chunk> lent = pool.allocateOnDistinctHosts(k + m, config.chunkSizeBytes(), excluded);
                data.addAll(lent.subList(0, k));
                parity.addAll(lent.subList(k, k + m));
            }
        }
        catch (final PoolException ex)
        {
            pool.release(data);
            pool.release(parity);
            throw new PoolException(config.redundancy() + " needs, for each of its " + dataChunks / k +
                " stripe groups, " + (k + m) + " distinct hosts with a free chunk: " + ex.getMessage());
        }
        data.addAll(parity);
        return data;
    }
}
