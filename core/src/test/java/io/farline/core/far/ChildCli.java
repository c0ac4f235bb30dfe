package io.farline.core.far;

import io.farline.cli.FarlineMain;
import io.farline.transport.internal.ChildJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code farline} command (or another main class) in a child JVM, seen from a test: its output lines, its standard
 * input, SIGKILL and an orderly stop (SIGTERM).
 */
final class ChildCli implements AutoCloseable
{
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Writer stdin;
    private final int nodeId;

    ChildCli(final List<String> args)
    {
        this(FarlineMain.class, args);
    }

    ChildCli(final Class<?> mainClass, final List<String> args)
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

    int nodeId()
    {
        return nodeId;
    }

    String awaitLineStartingWith(final String prefix, final long timeoutSeconds)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try
        {
            while (System.nanoTime() - deadlineNs < 0)
            {
                final String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (null != line && line.startsWith(prefix))
                {
                    return line;
                }
                if (null == line && !process.isAlive() && lines.isEmpty())
                {
                    throw new AssertionError("child exited (" + process.exitValue() + ") before printing '" +
                        prefix + "'");
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("child printed no line starting with '" + prefix + "' in " + timeoutSeconds + " s");
    }

    void send(final String line)
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

    void kill() throws InterruptedException
    {
        process.destroyForcibly(); // SIGKILL
        process.waitFor(30, TimeUnit.SECONDS);
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
}
