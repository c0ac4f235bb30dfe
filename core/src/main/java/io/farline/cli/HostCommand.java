package io.farline.cli;

import io.farline.core.pool.ChunkTableDescriptor;
import io.farline.core.pool.MemoryHost;
import io.farline.transport.Fabric;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code farline host --fabric NAME --donate SIZE [--chunk SIZE] [--reclaim SIZE]}: a memory host. It donates memory
 * to the fabric's pool and serves it until it is stopped (Ctrl-C, SIGTERM). Stopping, it first takes its memory back
 * from the pool, so that borrowers move their data to other hosts, for up to {@link #WITHDRAW_TIMEOUT_MS}. It reads
 * commands from its standard input while it runs: {@code reclaim SIZE} asks the pool for memory back, {@code status}
 * prints the chunk states.
 */
final class HostCommand
{
    static final String DEFAULT_CHUNK = "1MiB";
    /**
     * How long a stopping host waits for its borrowers to move their data elsewhere: within the 10 s that the shutdown
     * hook gives the command to close ({@link Options#awaitStop}).
     */
    static final long WITHDRAW_TIMEOUT_MS = 5_000;

    private HostCommand()
    {
    }

    static int run(final String[] args, final PrintStream out)
    {
        // Every option is parsed and checked before anything starts: a bad one must not follow a READY line.
        final Options options = Options.parse(args, List.of("--fabric", "--donate", "--chunk", "--reclaim"));
        final String fabricName = options.required("--fabric");
        final long donate = Units.parseBytes(options.required("--donate"), "--donate");
        final long chunk = Units.parseBytes(options.get("--chunk", DEFAULT_CHUNK), "--chunk");
        final String sizes = ChunkTableDescriptor.check(chunk, donate / Math.max(1, chunk));
        if (null != sizes || donate % chunk != 0)
        {
            throw new UsageException(null != sizes ? sizes : "--donate " + donate + " is not a multiple of --chunk " +
                chunk);
        }
        final String reclaimOption = options.get("--reclaim", null);
        final long reclaim = null == reclaimOption ? 0 : Units.parseBytes(reclaimOption, "--reclaim");
        final Fabric fabric = FabricLocator.openOrCreate(fabricName);
        final CountDownLatch stop = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);
        try (Node node = Node.launch(new NodeConfig().fabric(fabric));
            MemoryHost host = MemoryHost.start(node, donate, (int)chunk))
        {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Options.awaitStop(stop, stopped)));
            out.println("host node " + node.nodeId() + ": donating " + Units.bytes(donate) + " in " +
                host.chunkCount() + " chunks of " + Units.bytes(chunk) + " to fabric " + fabric.directory());
            out.println("READY host " + node.nodeId());
            out.flush();
            if (null != reclaimOption)
            {
                reclaimWhenControllerKnown(host, reclaim, out);
            }
            startCommandReader(host, out);
            final SleepingMillisIdleStrategy idle = new SleepingMillisIdleStrategy(1);
            while (stop.getCount() > 0)
            {
                idle.idle(host.doWork());
            }
            final int stillLent = host.withdrawDonation(WITHDRAW_TIMEOUT_MS);
            out.println(0 == stillLent ? "STOPPED: every chunk withdrawn" : "STOPPED: " + stillLent +
                " chunks still lent after " + WITHDRAW_TIMEOUT_MS / 1000 + " s; their borrowers lose them as with " +
                "this host's death");
            out.flush();
        }
        finally
        {
            stopped.countDown();
        }
        return FarlineMain.EXIT_OK;
    }

    private static void reclaimWhenControllerKnown(final MemoryHost host, final long bytes, final PrintStream out)
    {
        final long deadlineMs = System.currentTimeMillis() + 10_000;
        while (host.announcements() == 0 && System.currentTimeMillis() < deadlineMs)
        {
            host.doWork();
            Thread.onSpinWait();
        }
        out.println("reclaim: asked for " + host.requestReclaim(bytes) + " chunks back");
    }

    private static void startCommandReader(final MemoryHost host, final PrintStream out)
    {
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = in.readLine()))
                {
                    final String[] words = line.trim().split("\\s+");
                    try
                    {
                        if (words.length == 2 && words[0].equals("reclaim"))
                        {
                            out.println("reclaim: asked for " + host.requestReclaim(Units.parseBytes(words[1],
                                "reclaim")) + " chunks back");
                        }
                        else if (words[0].equals("status"))
                        {
                            out.println("status free " + host.chunksIn(ChunkTableDescriptor.STATE_FREE) + " lent " +
                                host.chunksIn(ChunkTableDescriptor.STATE_LENT) + " reclaiming " +
                                host.chunksIn(ChunkTableDescriptor.STATE_RECLAIMING) + " withdrawn " +
                                host.chunksIn(ChunkTableDescriptor.STATE_WITHDRAWN));
                        }
                        else if (!words[0].isEmpty())
                        {
                            out.println("unknown command '" + line + "' (commands: reclaim SIZE, status)");
                        }
                    }
                    catch (final RuntimeException ex)
                    {
                        out.println("error: " + ex.getMessage());
                    }
                    out.flush();
                }
            }
            catch (final IOException ex)
            {
                // standard input closed: no more commands
            }
        }, "farline-host-commands");
        reader.setDaemon(true);
        reader.start();
    }
}
