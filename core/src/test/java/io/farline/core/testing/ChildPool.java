package io.farline.core.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A memory pool of child JVMs for a test: a controller and memory hosts ({@link ChildCli}), started together and
 * ready to lend once {@link #start} returns; closed together, hosts first.
 */
public final class ChildPool implements AutoCloseable
{
    private final ChildCli controller;
    private final List<ChildCli> hosts = new ArrayList<>();

    private ChildPool(final ChildCli controller)
    {
        this.controller = controller;
    }

    /**
     * Starts a controller and memory hosts, and waits until the controller has every host online.
     *
     * @param fabricDirectory the fabric.
     * @param hostCount       memory hosts.
     * @param donate          what each donates, e.g. {@code 4MiB}, in 1 MiB chunks.
     * @return the pool.
     */
    public static ChildPool start(final Path fabricDirectory, final int hostCount, final String donate)
    {
        final ChildPool pool = new ChildPool(ChildCli.controller(fabricDirectory));
        try
        {
            for (int i = 0; i < hostCount; i++)
            {
                pool.hosts.add(ChildCli.host(fabricDirectory, donate));
            }
            ChildCli.awaitOnline(pool.controller, pool.hosts.toArray(new ChildCli[0]));
            return pool;
        }
        catch (final RuntimeException | Error ex)
        {
            pool.close();
            throw ex;
        }
    }

    /**
     * @return the memory hosts, in start order.
     */
    public List<ChildCli> hosts()
    {
        return List.copyOf(hosts);
    }

    /**
     * @param nodeId a host's node id.
     * @return that host.
     * @throws IllegalArgumentException if no host has it.
     */
    public ChildCli host(final int nodeId)
    {
        for (final ChildCli host : hosts)
        {
            if (host.nodeId() == nodeId)
            {
                return host;
            }
        }
        throw new IllegalArgumentException("no host has node id " + nodeId);
    }

    @Override
    public void close()
    {
        hosts.forEach(ChildCli::close);
        controller.close();
    }
}
