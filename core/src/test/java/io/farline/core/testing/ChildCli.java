package io.farline.core.testing;

import io.farline.cli.FarlineMain;
import io.farline.transport.internal.ChildJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code farline} command (or another main class) in a child JVM, seen from a test: its output lines, its standard
 * input, SIGKILL and an orderly stop (SIGTERM). The child must print {@code READY ... <nodeId>} first.
 */
public final class ChildCli implements AutoCloseable
{
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Writer stdin;
    private final int nodeId;

    /**
     * Starts {@code farline} with {@code args} and waits for its READY line.
     *
     * @param args the command and its options.
     */
    public ChildCli(final List<String> args)
    {
        this(FarlineMain.class, args);
    }

    /**
     * Starts a main class and waits for its READY line.
     *
     * @param mainClass with a main method, on this JVM's class path.
     * @param args      its arguments.
     */
    public ChildCli(final Class<?> mainClass, final List<String> args)
    {
        process = ChildJvm.start(mainClass, List.of("-Xmx128m"), args);
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        final Thread pump = new Thread(() ->
        {
            try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = out.readLine()))
                {
                    lines.add(line);
                }
            }
            catch (final IOException ex)
            {
                // the child is gone
            }
        });
        pump.setDaemon(true);
        pump.start();
        final String ready = awaitLineStartingWith("READY ", 30);
        final String[] words = ready.split(" ");
        nodeId = Integer.parseInt(words[words.length - 1]);
    }

    public int nodeId()
    {
        return nodeId;
    }

    public String awaitLineStartingWith(final String prefix, final long timeoutSeconds)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        final List<String> skipped = new ArrayList<>();
        try
        {
            while (System.nanoTime() - deadlineNs < 0)
            {
                final String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (null != line && line.startsWith(prefix))
                {
                    return line;
                }
                if (null != line)
                {
                    skipped.add(line);
                }
                else if (!process.isAlive() && lines.isEmpty())
                {
                    throw new AssertionError("child exited (" + process.exitValue() + ") before printing '" +
                        prefix + "'; it printed " + skipped);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("child printed no line starting with '" + prefix + "' in " + timeoutSeconds + " s; " +
            "it printed " + skipped);
    }

    public void send(final String line)
    {
        try
        {
            stdin.write(line + "\n");
            stdin.flush();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public void kill() throws InterruptedException
    {
        process.destroyForcibly(); // SIGKILL
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * Sends SIGTERM, the orderly stop, and returns at once: the child's shutdown hooks run while the test goes on, and
     * what it prints meanwhile is still read ({@code Process.destroy()} would close the pipes).
     */
    public void terminate()
    {
        process.toHandle().destroy();
    }

    /**
     * @return whether the child has exited.
     */
    public boolean hasExited()
    {
        return !process.isAlive();
    }

    @Override
    public void close()
    {
        process.destroy(); // SIGTERM: shutdown hooks close the node
        try
        {
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts a pool controller on a fabric.
     *
     * @param fabricDirectory the fabric.
     * @return the controller's process.
     */
    public static ChildCli controller(final Path fabricDirectory)
    {
        return new ChildCli(List.of("controller", "--fabric", fabricDirectory.toString()));
    }

    /**
     * Starts a memory host donating memory in 1 MiB chunks.
     *
     * @param fabricDirectory the fabric.
     * @param donate          how much, e.g. {@code 4MiB}.
     * @return the host's process.
     */
    public static ChildCli host(final Path fabricDirectory, final String donate)
    {
        return new ChildCli(List.of("host", "--fabric", fabricDirectory.toString(), "--donate", donate, "--chunk",
            "1MiB"));
    }

    /**
     * Waits until the controller has read every host's table (it prints {@code host <id> online}), so that it lends
     * from all of them.
     *
     * @param controller the controller's process.
     * @param hosts      the hosts' processes.
     */
    public static void awaitOnline(final ChildCli controller, final ChildCli... hosts)
    {
        final Set<String> expected = new HashSet<>();
        for (final ChildCli host : hosts)
        {
            expected.add("host " + host.nodeId() + " online");
        }
        while (!expected.isEmpty())
        {
            expected.remove(controller.awaitLineStartingWith("host ", 15));
        }
    }
}
