package io.farline.bench;

import io.farline.transport.internal.ChildJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A peer JVM running {@link BenchPeerMain}, started at a trial's set-up and stopped at its tear-down. Stopping closes
 * the child's standard input, which it takes as the signal to close its node (deleting its files) and exit; a child
 * that does not exit in time is killed. A shutdown hook kills the child if this JVM exits without tearing down, and
 * the child exits by itself if this JVM dies (its standard input reaches end of file), so none is left behind.
 */
final class ChildPeer implements AutoCloseable
{
    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long EXIT_TIMEOUT_MS = 10_000;
    private static final String END_OF_OUTPUT = "";

    private final Process process;
    private final Thread shutdownHook;
    private final BlockingQueue<String> readyLines = new ArrayBlockingQueue<>(1);
    private String[] readyFields;

    private ChildPeer(final Process process)
    {
        this.process = process;
        this.shutdownHook = new Thread(process::destroyForcibly, "farline-bench-peer-reaper-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a peer and waits for its ready line.
     *
     * @param args the peer's mode and arguments (see {@link BenchPeerMain}).
     * @return the running peer.
     * @throws IllegalStateException if it exits or stays silent instead of reporting ready.
     */
    static ChildPeer start(final String... args)
    {
        final Process process = ChildJvm.start(BenchPeerMain.class, BenchNodes.peerJvmArgs(), List.of(args));
        final ChildPeer peer = new ChildPeer(process);
        try
        {
            peer.startOutputReader();
            peer.awaitReady(String.join(" ", args));
            return peer;
        }
        catch (final RuntimeException | Error ex)
        {
            peer.close();
            throw ex;
        }
    }

    /**
     * @return the fields the peer printed after {@link BenchPeerMain#READY}.
     */
    String[] readyFields()
    {
        return readyFields.clone();
    }

    /**
     * Throws if the peer has exited: for spin loops that would otherwise wait for it forever. Cold.
     */
    void checkAlive()
    {
        if (!process.isAlive())
        {
            throw new IllegalStateException("benchmark peer process " + process.pid() + " exited with " +
                process.exitValue());
        }
    }

    /**
     * Stops the peer: closes its standard input, waits for it to exit, kills it if it does not. Idempotent.
     */
    @Override
    public void close()
    {
        try
        {
            process.getOutputStream().close();
        }
        catch (final IOException ignore)
        {
            // Already closed or the child is gone: the waits below settle it.
        }
        try
        {
            if (!process.waitFor(EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                process.waitFor(EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ignore)
        {
            // The JVM is shutting down: the hook runs anyway and finds the process gone.
        }
    }

    private void startOutputReader()
    {
        final Thread reader = new Thread(this::readOutput, "farline-bench-peer-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Hands the ready line over and forwards any other output, so the child never blocks on a full pipe.
     */
    private void readOutput()
    {
        boolean readySeen = false;
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = in.readLine()))
            {
                if (!readySeen && line.startsWith(BenchPeerMain.READY))
                {
                    readySeen = true;
                    readyLines.offer(line);
                }
                else
                {
                    System.out.println("[peer " + process.pid() + "] " + line);
                }
            }
        }
        catch (final IOException ignore)
        {
            // The pipe closed with the process.
        }
        if (!readySeen)
        {
            readyLines.offer(END_OF_OUTPUT);
        }
    }

    private void awaitReady(final String description)
    {
        final String line;
        try
        {
            line = readyLines.poll(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting benchmark peer '" + description + "'", ex);
        }
        if (null == line || END_OF_OUTPUT.equals(line))
        {
            throw new IllegalStateException("benchmark peer '" + description + "' (pid " + process.pid() + ") " +
                (null == line ? "did not report ready within " + READY_TIMEOUT_MS + " ms" : "exited before ready") +
                "; its standard error is above");
        }
        final String rest = line.substring(BenchPeerMain.READY.length()).trim();
        readyFields = rest.isEmpty() ? new String[0] : rest.split(" ");
    }
}
