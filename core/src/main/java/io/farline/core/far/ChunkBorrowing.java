package io.farline.core.far;

import io.farline.core.pool.Chunk;
import io.farline.core.pool.PoolClient;
import io.farline.core.pool.PoolException;

import java.util.ArrayList;
import java.util.List;

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
     * Borrows the chunks. Every allocation avoids hosts this node knows dead, even if the controller does not know
     * yet (see {@link PoolClient}).
     *
     * @param pool   the pool client.
     * @param config the settings: address space, chunk size and redundancy.
     * @return data chunks, then parity chunks, in slot order (see {@link StripeMap}).
     * @throws PoolException if the pool cannot lend them.
     */
    static List<Chunk> borrow(final PoolClient pool, final FarMemoryConfig config)
    {
        final int dataChunks = (int)(config.addressSpaceBytes() / config.chunkSizeBytes());
        return config.redundancy().enabled() ? borrowStripeGroups(pool, config, dataChunks) :
            pool.allocate(dataChunks, config.chunkSizeBytes());
    }

    /**
     * Borrows each stripe group's k + m chunks on k + m distinct hosts.
     *
     * @return data chunks, then parity chunks, in slot order (see {@link StripeMap}).
     */
    private static List<Chunk> borrowStripeGroups(final PoolClient pool, final FarMemoryConfig config,
        final int dataChunks)
    {
        final int k = config.redundancy().dataPages();
        final int m = config.redundancy().parityPages();
        final List<Chunk> data = new ArrayList<>();
        final List<Chunk> parity = new ArrayList<>();
        try
        {
            for (int group = 0; group < dataChunks / k; group++)
            {
                final List<Chunk> lent = pool.allocateOnDistinctHosts(k + m, config.chunkSizeBytes());
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
