package io.farline.cli.demo;

import io.farline.cli.FarlineMain;
import io.farline.cli.Units;
import io.farline.cli.UsageException;
import io.farline.transport.Fabric;
import io.farline.transport.internal.ChildJvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a demo needs around its work: a fresh fabric, child JVMs running {@code farline} commands (their output in
 * log files), the steps and checks it prints as it goes, and the summary table at the end. Closing it (or Ctrl-C,
 * through a shutdown hook) stops every child and removes the logs and, unless kept, the fabric.
 * <p>
 * Threading: the demo's steps run on one thread, the main thread. The shutdown hook runs on another while the main
 * thread goes on, until the JVM halts. The children are registered and stopped under one lock: once the clean-up
 * has begun no child joins the list, and a child whose start overlapped it is destroyed by the main thread at once.
 * The hook marks the session interrupted before it stops anything, so that what the main thread then runs into (a
 * child gone, a host's memory gone) is reported as the interruption it is, with {@link FarlineMain#EXIT_INTERRUPTED},
 * not as a failure with the children's logs.
 */
final class DemoSession implements AutoCloseable
{
    private static final long LOG_POLL_MS = 20;
    /**
     * How long a failure waits to learn whether an interruption caused it: Ctrl-C signals the children too, and one
     * of them may die before this JVM's shutdown hook has started.
     */
    private static final long INTERRUPTION_GRACE_MS = 1000;

    private final Fabric fabric;
    private final Path logs;
    private final boolean keep;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final List<Process> children = new ArrayList<>();
    /** Guarded by {@link #lock}: true once the clean-up has begun. */
    private boolean stopping;
    /** Counted down by the shutdown hook before it stops anything. */
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final List<String[]> summary = new ArrayList<>();
    private final Thread cleanup;
    private boolean failed;

    /**
     * Creates the fabric {@code name-<pid>} and a directory for the children's logs.
     *
     * @param name what the fabric's name starts with.
     * @param keep true to leave the fabric's files at the end.
     */
    DemoSession(final String name, final boolean keep)
    {
        this.fabric = Fabric.open(name + "-" + ProcessHandle.current().pid());
        this.keep = keep;
        try
        {
            this.logs = Files.createTempDirectory("farline-" + name + "-logs");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        this.cleanup = new Thread(() ->
        {
            interrupted.countDown();
            System.out.println();
            System.out.println("farline " + name + ": interrupted; stopping child JVMs" +
                (keep ? "" : " and removing the fabric"));
            cleanUp(false);
        }, "farline-" + name + "-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    Fabric fabric()
    {
        return fabric;
    }

    /**
     * Prints what the demo does and how to watch it.
     *
     * @param command the command, e.g. {@code farline demo}.
     * @param what    what it runs.
     */
    void printHeader(final String command, final String what)
    {
        System.out.println(command + ": " + what + " on fabric " + fabric.directory());
        System.out.println("  (while it runs: ./farline stat " + fabric.directory().getFileName() + ")");
    }

    /**
     * Runs the demo's steps, then prints the summary, or, if a step threw, the failure and the children's logs. If
     * the demo was interrupted meanwhile, it prints neither: the shutdown hook has said so, and is stopping everything.
     *
     * @param steps  the steps; they record their checks with {@link #done}.
     * @param passed the closing line when every check passed.
     * @return the exit code: {@link FarlineMain#EXIT_OK} only if every check passed,
     * {@link FarlineMain#EXIT_INTERRUPTED} if interrupted.
     */
    int run(final Runnable steps, final String passed)
    {
        try
        {
            steps.run();
            if (isInterrupted())
            {
                return FarlineMain.EXIT_INTERRUPTED;
            }
            printSummary(passed);
            return failed ? FarlineMain.EXIT_FAILED : FarlineMain.EXIT_OK;
        }
        catch (final RuntimeException ex)
        {
            if (ex instanceof Interrupted || wasInterruptedWithin(INTERRUPTION_GRACE_MS))
            {
                return FarlineMain.EXIT_INTERRUPTED;
            }
            System.out.println();
            System.out.println("FAILED: " + ex);
            printLogs();
            return FarlineMain.EXIT_FAILED;
        }
    }

    /**
     * Starts {@code farline <args>} in a child JVM, its output to {@code <logName>.log}. The child watches this JVM
     * and stops when it is gone ({@link FarlineMain#PARENT_PID_PROPERTY}), even if no shutdown hook ran. Main thread.
     *
     * @return the process.
     * @throws RuntimeException if the demo was interrupted; a child started meanwhile is destroyed first.
     */
    Process startFarline(final String logName, final List<String> jvmArgs, final List<String> args)
    {
        checkNotInterrupted();
        final List<String> childJvmArgs = new ArrayList<>(jvmArgs);
        childJvmArgs.add("-D" + FarlineMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        final Process child = ChildJvm.start(FarlineMain.class, childJvmArgs, args, logs.resolve(logName + ".log"));
        synchronized (lock)
        {
            if (!stopping)
            {
                children.add(child);
                return child;
            }
        }
        // The clean-up began while the child was starting and cannot see it: it is stopped here instead.
        child.destroyForcibly();
        throw new Interrupted();
    }

    /**
     * @return the child processes started so far, in order: a copy, since the shutdown hook may be stopping them.
     */
    List<Process> children()
    {
        synchronized (lock)
        {
            return List.copyOf(children);
        }
    }

    /**
     * @return true once the demo was interrupted (Ctrl-C, SIGTERM): its shutdown hook is stopping everything.
     */
    boolean isInterrupted()
    {
        return interrupted.getCount() == 0;
    }

    /**
     * For loops of the main thread that do not go through the session: ends the demo's steps quietly once it is
     * interrupted, rather than letting them run into the children's deaths.
     *
     * @throws RuntimeException if the demo was interrupted.
     */
    void checkNotInterrupted()
    {
        if (isInterrupted())
        {
            throw new Interrupted();
        }
    }

    /**
     * Waits until a child's log has a line starting with {@code prefix}.
     *
     * @return the line.
     * @throws IllegalStateException if the child exits or the time runs out first.
     */
    String awaitLogLine(final String logName, final Process child, final String prefix, final long timeoutMs)
    {
        final long deadlineMs = System.currentTimeMillis() + timeoutMs;
        final Path log = logs.resolve(logName + ".log");
        while (true)
        {
            try
            {
                if (Files.exists(log))
                {
                    for (final String line : Files.readAllLines(log))
                    {
                        if (line.startsWith(prefix))
                        {
                            return line;
                        }
                    }
                }
                checkNotInterrupted();
                if (!child.isAlive())
                {
                    throw new IllegalStateException(logName + " (pid " + child.pid() + ") exited with code " +
                        child.exitValue() + " before printing '" + prefix + "'");
                }
                if (System.currentTimeMillis() > deadlineMs)
                {
                    throw new IllegalStateException(logName + " printed no '" + prefix + "' in " + timeoutMs +
                        " ms");
                }
                Thread.sleep(LOG_POLL_MS);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + logName, ex);
            }
        }
    }

    /**
     * Prints a step about to start.
     *
     * @return its start time, for {@link #done}.
     */
    static long step(final String what)
    {
        System.out.println("  .. " + what);
        return System.nanoTime();
    }

    /**
     * Records and prints the outcome of a check.
     */
    void done(final long startNs, final String check, final String detail, final boolean ok)
    {
        checkNotInterrupted(); // a check that ran into the interruption is not a result
        failed |= !ok;
        summary.add(new String[]{ check, detail, Units.duration(System.nanoTime() - startNs), ok ? "ok" : "FAILED" });
        System.out.println("     " + (ok ? "ok     " : "FAILED ") + check + ": " + detail);
    }

    /**
     * Prints the table of checks and a closing line.
     *
     * @param passed the line when every check passed.
     */
    void printSummary(final String passed)
    {
        int width = 4;
        for (final String[] row : summary)
        {
            width = Math.max(width, row[1].length());
        }
        final String format = "  %-18s %-" + width + "s %10s  %s%n";
        System.out.println();
        System.out.printf(format, "check", "what", "time", "result");
        for (final String[] row : summary)
        {
            System.out.printf(format, row[0], row[1], row[2], row[3]);
        }
        System.out.println();
        System.out.println(failed ? "demo FAILED: see the rows marked FAILED above" : passed);
    }

    /**
     * Prints the last lines of every child's log, after a failure.
     */
    void printLogs()
    {
        try (Stream<Path> files = Files.list(logs))
        {
            for (final Path log : files.sorted().toList())
            {
                final List<String> lines = Files.readAllLines(log);
                if (!lines.isEmpty())
                {
                    System.out.println("---- " + log.getFileName() + " (last lines)");
                    lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(System.out::println);
                }
            }
        }
        catch (final IOException ex)
        {
            System.out.println("(cannot read the logs in " + logs + ": " + ex.getMessage() + ")");
        }
    }

    /**
     * @return the option's value at {@code index}, a number in {@code [min, max]}.
     * @throws UsageException naming the option if it is missing, not a number or out of range.
     */
    static long number(final String[] args, final int index, final long min, final long max)
    {
        if (index >= args.length)
        {
            throw new UsageException(args[index - 1] + " needs a value");
        }
        final long value;
        try
        {
            value = Long.parseLong(args[index].replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(args[index - 1] + " needs a number, got '" + args[index] + "'");
        }
        if (value < min || value > max)
        {
            throw new UsageException(args[index - 1] + " " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    /**
     * Stops the children (SIGTERM, then SIGKILL after 5 s) and removes the logs and, unless kept, the fabric.
     */
    @Override
    public void close()
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        catch (final IllegalStateException ex)
        {
            return; // shutting down (Ctrl-C): the hook cleans up
        }
        cleanUp(true);
    }

    /**
     * Stops every child and removes the logs and, unless kept, the fabric; once, from {@link #close} or the hook.
     *
     * @param graceful SIGTERM first, so that the children close their nodes; else SIGKILL at once (Ctrl-C).
     */
    private void cleanUp(final boolean graceful)
    {
        final List<Process> toStop;
        synchronized (lock)
        {
            if (stopping)
            {
                return;
            }
            stopping = true; // from here on startFarline registers no child: it destroys what it started
            toStop = List.copyOf(children);
        }
        // All are signalled before any is waited for, so that stopping N children takes one wait, not N.
        for (final Process child : toStop)
        {
            if (graceful)
            {
                child.destroy(); // SIGTERM: the commands close their nodes in a shutdown hook
            }
            else
            {
                child.destroyForcibly();
            }
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (final Process child : toStop)
        {
            try
            {
                if (!child.waitFor(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS))
                {
                    child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException ex)
            {
                child.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        deleteTree(logs);
        if (!keep)
        {
            deleteTree(fabric.directory());
        }
    }

    private boolean wasInterruptedWithin(final long timeoutMs)
    {
        try
        {
            return interrupted.await(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return isInterrupted();
        }
    }

    /**
     * Ends the demo's steps once it is interrupted; {@link #run} reports it as the interruption, not as a failure.
     */
    private static final class Interrupted extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        Interrupted()
        {
            super("interrupted", null, false, false);
        }
    }

    private static void deleteTree(final Path directory)
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory))
        {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ex)
        {
            System.err.println("could not remove " + directory + ": " + ex.getMessage());
        }
    }
}
