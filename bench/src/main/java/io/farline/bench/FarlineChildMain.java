package io.farline.bench;

import io.farline.cli.FarlineMain;

import java.util.Optional;

/**
 * Runs a {@code farline} command ({@link FarlineMain}: {@code controller}, {@code host}) in a child JVM of a benchmark
 * and makes it exit when the JVM that started it dies. A pool controller or memory host runs until it is stopped, and
 * reads commands from its standard input, so end of file cannot be its signal to go: a watchdog thread polls the
 * parent process instead and, once it is gone (even killed with SIGKILL), exits the JVM, whose shutdown hooks close
 * the command's node in order. No cluster process outlives the benchmark that started it.
 */
public final class FarlineChildMain
{
    /** How often the watchdog looks at the parent. */
    static final long PARENT_POLL_INTERVAL_MS = 200;
    /** Exit status when the parent died. */
    static final int EXIT_PARENT_GONE = 3;

    private FarlineChildMain()
    {
    }

    /**
     * @param args a {@code farline} command line, e.g. {@code host --fabric DIR --donate 256MiB --chunk 1MiB}.
     */
    public static void main(final String[] args)
    {
        exitWhenParentDies();
        FarlineMain.main(args);
    }

    /**
     * Starts the daemon thread that exits this JVM when its parent process is gone.
     */
    static void exitWhenParentDies()
    {
        final Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isPresent())
        {
            final Thread watchdog = new Thread(() -> watch(parent.get()), "farline-bench-parent-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }
    }

    private static void watch(final ProcessHandle parent)
    {
        try
        {
            while (parent.isAlive())
            {
                Thread.sleep(PARENT_POLL_INTERVAL_MS);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return;
        }
        System.err.println("farline bench child " + ProcessHandle.current().pid() + ": parent " + parent.pid() +
            " is gone, exiting");
        System.exit(EXIT_PARENT_GONE);
    }
}
