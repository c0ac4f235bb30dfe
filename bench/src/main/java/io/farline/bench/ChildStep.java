package io.farline.bench;

import io.farline.transport.internal.ChildJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A suite step outside JMH, run in a child JVM: its standard output is echoed with a prefix and kept line by line,
 * each line may be answered on its standard input, and the child is killed if it outlives its time or this JVM.
 * Cold; used by the suites' environments.
 */
final class ChildStep
{
    /** Sees each line the child prints, and may answer it. */
    @FunctionalInterface
    interface LineHandler
    {
        /**
         * @param line  the line.
         * @param input the child's standard input, for an answer (flushed by the handler).
         * @throws IOException if the answer cannot be written.
         */
        void onLine(String line, Writer input) throws IOException;
    }

    /**
     * How the step ended.
     *
     * @param exitValue the child's exit status, when it ended by itself.
     * @param lines     its standard output, line by line.
     * @param failure   why it has no exit status (killed after its time, interrupted), or null.
     */
    record Outcome(int exitValue, List<String> lines, String failure)
    {
    }

    private static final long READER_JOIN_MS = 10_000;

    private ChildStep()
    {
    }

    /**
     * @param name      the step's name, the prefix of its echoed lines.
     * @param mainClass the child's main class.
     * @param jvmArgs   the child's extra JVM arguments.
     * @param timeoutMs how long the child may run before it is killed.
     * @param handler   sees each line.
     * @return how it ended.
     */
    static Outcome run(final String name, final Class<?> mainClass, final List<String> jvmArgs, final long timeoutMs,
        final LineHandler handler)
    {
        final Process process = ChildJvm.start(mainClass, jvmArgs, List.of());
        final Thread reaper = new Thread(process::destroyForcibly, "farline-bench-" + name + "-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        final List<String> lines = new ArrayList<>();
        final Thread reader = new Thread(() -> read(name, process, handler, lines), "farline-bench-" + name);
        reader.setDaemon(true);
        reader.start();
        String failure = null;
        try
        {
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                failure = "the " + name + " step did not finish in " + timeoutMs + " ms and was killed";
            }
            reader.join(READER_JOIN_MS);
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            failure = "interrupted while the " + name + " step ran";
        }
        finally
        {
            removeHook(reaper);
        }
        synchronized (lines)
        {
            return new Outcome(null == failure ? process.exitValue() : -1, new ArrayList<>(lines), failure);
        }
    }

    private static void read(final String name, final Process process, final LineHandler handler,
        final List<String> lines)
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Writer input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8))
        {
            String line;
            while (null != (line = in.readLine()))
            {
                System.out.println("[" + name + " " + process.pid() + "] " + line);
                handler.onLine(line, input);
                synchronized (lines)
                {
                    lines.add(line);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            System.err.println(name + " step: " + ex);
            process.destroyForcibly();
        }
    }

    private static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignore)
        {
            // The JVM is shutting down: the hook runs anyway.
        }
    }
}
