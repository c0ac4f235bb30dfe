package io.farline.cli;

import io.farline.cli.demo.FarMemoryDemo;
import io.farline.cli.demo.TransportDemo;
import io.farline.cli.demo.TransportDemoPeer;
import io.farline.transport.FabricFileException;

import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Entry point of the {@code farline} command line. Exit codes: 0 success, 1 the command ran and found a failure
 * (e.g. the demo did not verify, or a file it met was refused), 2 bad usage, 130 interrupted (a demo, by Ctrl-C).
 * Problems with the input (options, fabric names and paths) are reported in one line on standard error, without a
 * stack trace.
 */
public final class FarlineMain
{
    /** Exit code: the command succeeded. */
    public static final int EXIT_OK = 0;
    /** Exit code: the command ran and something failed to verify. */
    public static final int EXIT_FAILED = 1;
    /** Exit code: bad command line. */
    public static final int EXIT_USAGE = 2;
    /** Exit code: interrupted (Ctrl-C): 128 + SIGINT, what a shell reports and the JVM exits with on SIGINT. */
    public static final int EXIT_INTERRUPTED = 130;

    /**
     * System property: the pid of the process that started this one and that it must not outlive. The demos set it on
     * their child JVMs (see {@link #main}).
     */
    public static final String PARENT_PID_PROPERTY = "farline.parent.pid";

    private static final long PARENT_POLL_MS = 500;

    private static final String USAGE = String.join(System.lineSeparator(),
        "usage: farline <command> [options]",
        "",
        "commands:",
        "  demo [--hosts N] [--keys N] [--seconds N] [--keep]",
        "        far memory across processes: a pool controller and N memory hosts (default 5) as child JVMs, a",
        "        key-value store of N keys (default 200,000) in far memory with XOR 3+1 parity, YCSB-A traffic",
        "        for N seconds (default 30); one host is killed (SIGKILL) a third of the way through. Every key",
        "        is verified at the end; exits 1 if anything fails to verify. --keep leaves the fabric's files.",
        "  demo-transport [--peers N] [--messages N] [--atomics N] [--keep]",
        "        start N peer JVMs (default 2) on a fresh fabric and exercise the transport between them:",
        "        one-sided WRITE/READ, compare-and-swap and fetch-and-add, SEND/RECV; verify everything and",
        "        print a summary. Exits 1 if anything fails to verify.",
        "  bench [--quick]",
        "        (the ./farline launcher, from the repository) every JMH suite, then bench/report.md and",
        "        bench/plots/*.png; --quick is a smoke test whose results go under bench/target.",
        "  host --fabric FABRIC --donate SIZE [--chunk SIZE] [--reclaim SIZE]",
        "        a memory host: donate SIZE (e.g. 256MiB, at most 1GiB) to the fabric's pool in chunks of",
        "        --chunk (default " + HostCommand.DEFAULT_CHUNK + ") and serve it until stopped. Reads 'reclaim SIZE'",
        "        and 'status' from standard input; --reclaim asks for SIZE back as soon as a controller answers.",
        "  controller --fabric FABRIC",
        "        the pool controller: lends the hosts' chunks to compute nodes; restartable at any time.",
        "        host and controller create the fabric if it does not exist (0700); an existing directory is",
        "        used as it is, never chmodded, and only if it is yours and not writable by group or others.",
        "  stat [--once] [FABRIC]",
        "        show every node of a fabric (alive or dead) with its per-verb counters, a host's chunks by",
        "        state and far memory's rebuild progress, refreshed in place every second on a terminal",
        "        (--once: print once); without FABRIC, every fabric under " + FabricLocator.root() + ".",
        "        FABRIC is a fabric's name, or the path of its directory (anything with a '/').",
        "        stat only reads: it creates nothing and changes no mode.",
        "  clean [FABRIC]",
        "        remove the files of nodes that are not alive (dead nodes' memory is kept until then so",
        "        that peers can recover it); without FABRIC, in every fabric. A fabric with no node left",
        "        loses its node id sequence and controller locator, then its directory; a directory that is",
        "        not a fabric, and files not named as fabric files, are left alone.",
        "  --help",
        "        this text.");

    private FarlineMain()
    {
    }

    /**
     * Runs a command and exits with its code. With {@link #PARENT_PID_PROPERTY} set, it also exits (code 1, through
     * the shutdown hooks, so a node is closed) within half a second of that parent's end: a demo killed with SIGKILL
     * runs no shutdown hook, and its children would otherwise serve a dead fabric forever.
     *
     * @param args the command and its options.
     */
    public static void main(final String[] args)
    {
        watchParent(System.getProperty(PARENT_PID_PROPERTY));
        System.exit(run(args));
    }

    private static void watchParent(final String parentPid)
    {
        if (null == parentPid)
        {
            return;
        }
        // The handle of the actual parent, not of whatever process has that pid: if the parent is gone already, this
        // JVM was handed to another parent and the pid may be reused. A handle also knows its process's start time,
        // so a later reuse of the pid does not look alive.
        final ProcessHandle parent = ProcessHandle.current().parent()
            .filter(p -> Long.toString(p.pid()).equals(parentPid)).orElse(null);
        final Thread watcher = new Thread(() ->
        {
            try
            {
                while (null != parent && parent.isAlive())
                {
                    Thread.sleep(PARENT_POLL_MS);
                }
            }
            catch (final InterruptedException ex)
            {
                return; // nothing interrupts this thread; if something did, it would stop watching, not the command
            }
            System.err.println("farline: parent process " + parentPid + " is gone; stopping");
            System.exit(EXIT_FAILED);
        }, "farline-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /**
     * Runs a command without exiting the JVM.
     *
     * @param args the command and its options.
     * @return the exit code.
     */
    public static int run(final String[] args)
    {
        if (args.length == 0)
        {
            System.err.println(USAGE);
            return EXIT_USAGE;
        }
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try
        {
            switch (args[0])
            {
                case "demo":
                    return FarMemoryDemo.run(rest);
                case "demo-transport":
                    return TransportDemo.run(rest);
                case "demo-peer":
                    return TransportDemoPeer.run(rest);
                case "bench":
                    System.err.println("farline bench: run it with the ./farline launcher from the repository; " +
                        "the benchmarks live in bench/ and are not in this jar");
                    return EXIT_USAGE;
                case "host":
                    return HostCommand.run(rest, System.out);
                case "controller":
                    return ControllerCommand.run(rest, System.out);
                case "stat":
                    return StatCommand.run(rest, System.out);
                case "clean":
                    return CleanCommand.run(rest, System.out);
                case "--help":
                case "-h":
                case "help":
                    System.out.println(USAGE);
                    return EXIT_OK;
                default:
                    System.err.println("farline: unknown command '" + args[0] + "'");
                    System.err.println(USAGE);
                    return EXIT_USAGE;
            }
        }
        catch (final UsageException ex)
        {
            System.err.println("farline " + args[0] + ": " + ex.getMessage());
            return EXIT_USAGE;
        }
        catch (final FabricFileException | UncheckedIOException ex)
        {
            // A fabric or file the command met on its way, not the command line: still one line, not a stack trace.
            System.err.println("farline " + args[0] + ": " + ex.getMessage());
            return EXIT_FAILED;
        }
    }
}
