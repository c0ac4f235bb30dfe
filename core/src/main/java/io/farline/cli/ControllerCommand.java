package io.farline.cli;

import io.farline.core.pool.PoolController;
import io.farline.transport.Fabric;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

/**
 * {@code farline controller --fabric NAME}: the pool controller. Runs until stopped (Ctrl-C, SIGTERM); another may be
 * started after it, and picks up where it left off (see {@link PoolController}).
 */
final class ControllerCommand
{
    private ControllerCommand()
    {
    }

    static int run(final String[] args, final PrintStream out)
    {
        final Options options = Options.parse(args, List.of("--fabric"));
        final Fabric fabric = FabricLocator.openOrCreate(options.required("--fabric"));
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);
        try (Node node = Node.launch(new NodeConfig().fabric(fabric));
            PoolController controller = PoolController.start(node,
                ex -> System.err.println("controller: " + ex)))
        {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Options.awaitStop(stop, stopped)));
            out.println("controller node " + node.nodeId() + " on fabric " + fabric.directory());
            out.println("READY controller " + node.nodeId());
            out.flush();
            final SleepingMillisIdleStrategy idle = new SleepingMillisIdleStrategy(1);
            Set<Integer> known = Set.of();
            while (stop.getCount() > 0)
            {
                idle.idle(controller.doWork());
                if (controller.hostCount() != known.size())
                {
                    final Set<Integer> now = controller.hostIds();
                    for (final Integer host : new TreeSet<>(now))
                    {
                        if (!known.contains(host))
                        {
                            out.println("host " + host + " online");
                        }
                    }
                    for (final Integer host : new TreeSet<>(known))
                    {
                        if (!now.contains(host))
                        {
                            out.println("host " + host + " gone");
                        }
                    }
                    out.flush();
                    known = now;
                }
            }
        }
        finally
        {
            stopped.countDown();
        }
        return FarlineMain.EXIT_OK;
    }
}
