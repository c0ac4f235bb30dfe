package io.farline.transport;

import io.farline.transport.internal.ChildJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A {@link PeerProcessMain} child JVM seen from a test: its ready line, its result line, and its end.
 */
public final class ChildProcess implements AutoCloseable
{
    private final Process process;
    private final BufferedReader out;
    private final RegionHandle handle;

    /**
     * Starts the child and waits for its READY line.
     *
     * @param fabric   the fabric it joins.
     * @param scenario and its arguments.
     */
    public ChildProcess(final Fabric fabric, final String... scenario)
    {
        final List<String> args = new java.util.ArrayList<>();
        args.add(fabric.directory().toString());
        args.addAll(List.of(scenario));
        process = ChildJvm.start(PeerProcessMain.class, List.of("-Xmx64m"), args);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final String ready = readLine();
        if (null == ready || !ready.startsWith("READY "))
        {
            process.destroyForcibly();
            fail("child did not start: " + ready);
        }
        final String[] parts = ready.split(" ");
        handle = new RegionHandle(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Long.parseLong(parts[3]),
            Long.parseLong(parts[4]));
    }

    /**
     * @return the handle of the region the child registered.
     */
    public RegionHandle handle()
    {
        return handle;
    }

    /**
     * @return the child's node id.
     */
    public int nodeId()
    {
        return handle.nodeId();
    }

    /**
     * @return the child's process.
     */
    public Process process()
    {
        return process;
    }

    /**
     * @return the next line the child prints, or null at its end.
     */
    public String readLine()
    {
        try
        {
            return out.readLine();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Reads the scenario's result and checks it starts with DONE.
     *
     * @return the result line.
     */
    public String awaitDone()
    {
        final String result = readLine();
        assertTrue(null != result && result.startsWith("DONE"), "child result: " + result);
        return result;
    }

    /**
     * Kills the child with SIGKILL and waits for it.
     */
    public void kill()
    {
        process.destroyForcibly();
        waitFor();
    }

    private void waitFor()
    {
        try
        {
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                fail("child did not exit");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Closes the child's standard input so it exits cleanly, and waits for it.
     */
    @Override
    public void close()
    {
        if (process.isAlive())
        {
            try
            {
                process.getOutputStream().close();
            }
            catch (final IOException ignore)
            {
                process.destroyForcibly();
            }
            waitFor();
        }
    }
}
