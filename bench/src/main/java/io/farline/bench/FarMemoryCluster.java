package io.farline.bench;

import io.farline.transport.internal.ChildJvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
 * The memory pool of the farmemory suite: a pool controller and {@link #HOST_COUNT} memory hosts, each a
 * {@code farline} command in a child JVM ({@link FarlineChildMain}), on a fabric in a fresh {@link TrialDirectory}.
 * {@link #start()} returns once the controller has read every host's chunk table (it prints {@code host <id> online}),
 * so a compute node may borrow at once.
 * <p>
 * The cluster is always stopped: {@link #close()} sends SIGTERM to every child (their shutdown hooks close the nodes),
 * kills with SIGKILL any that has not exited in time, then deletes the fabric directory; a shutdown hook kills the
 * children if this JVM exits without closing; and each child exits by itself when this JVM dies
 * ({@link FarlineChildMain}'s watchdog). A start that fails part-way stops what it started.
 * <p>
 * Threading: start and close on one thread. Cold.
 */
final class FarMemoryCluster implements AutoCloseable
{
    /** The system property that hands a running cluster's fabric directory to the benchmark forks. */
    static final String FABRIC_PROPERTY = "farline.bench.farmemory.fabric";
    /** Memory hosts. */
    static final int HOST_COUNT = 2;
    /** Memory each host donates: room for the largest far memory of the suite (128 MiB) with plenty to spare. */
    static final long DONATE_BYTES_PER_HOST = 256L << 20;
    /** The pool's chunk size. */
    static final int CHUNK_SIZE_BYTES = 1 << 20;

    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long STOP_TIMEOUT_MS = 15_000;
    private static final List<String> CHILD_JVM_ARGS = List.of("-Xms32m", "-Xmx128m");

    private final TrialDirectory directory;
    private final int hostCount;
    private final long donateBytesPerHost;
    private final List<CliProcess> processes = new ArrayList<>();
    private CliProcess controller;
    private final List<Integer> hostNodeIds = new ArrayList<>();

    private FarMemoryCluster(final TrialDirectory directory, final int hostCount, final long donateBytesPerHost)
    {
        this.directory = directory;
        this.hostCount = hostCount;
        this.donateBytesPerHost = donateBytesPerHost;
    }

    /**
     * Starts the controller, then the hosts, and waits until the controller has every host online.
     *
     * @return the running cluster.
     * @throws IllegalStateException if a child exits or stays silent; everything started is stopped first.
     */
    static FarMemoryCluster start()
    {
        return start(HOST_COUNT, DONATE_BYTES_PER_HOST);
    }

    /**
     * As {@link #start()}, with other hosts.
     *
     * @param hostCount          memory hosts.
     * @param donateBytesPerHost memory each donates, a multiple of {@link #CHUNK_SIZE_BYTES}.
     * @return the running cluster.
     */
    static FarMemoryCluster start(final int hostCount, final long donateBytesPerHost)
    {
        final FarMemoryCluster cluster = new FarMemoryCluster(TrialDirectory.create(), hostCount, donateBytesPerHost);
        try
        {
            cluster.startProcesses();
            return cluster;
        }
        catch (final RuntimeException | Error ex)
        {
            cluster.close();
            throw ex;
        }
    }

    /**
     * @return the fabric directory the controller and hosts run on.
     */
    Path fabricDirectory()
    {
        return directory.path();
    }

    /**
     * @return the JVM argument that tells a benchmark fork where the cluster is.
     */
    String forkJvmArg()
    {
        return "-D" + FABRIC_PROPERTY + "=" + fabricDirectory();
    }

    /**
     * @return the memory hosts' node ids.
     */
    List<Integer> hostNodeIds()
    {
        return List.copyOf(hostNodeIds);
    }

    /**
     * @return a line describing the cluster, for the printed report.
     */
    String describe()
    {
        return "pool: controller + " + hostCount + " memory hosts (child JVMs, " + (donateBytesPerHost >> 20) +
            " MiB each in " + (CHUNK_SIZE_BYTES >> 20) + " MiB chunks) on " + fabricDirectory();
    }

    /**
     * Kills a memory host with SIGKILL, as a machine failure would, and waits for the process to be gone.
     *
     * @param hostNodeId the host's node id.
     * @throws IllegalArgumentException if no running host has that id.
     */
    void killHost(final int hostNodeId)
    {
        for (final CliProcess process : processes)
        {
            if (process != controller && process.nodeId == hostNodeId && process.process.isAlive())
            {
                process.process.destroyForcibly();
                process.awaitExit(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MS));
                return;
            }
        }
        throw new IllegalArgumentException("no running memory host has node id " + hostNodeId + "; hosts are " +
            hostNodeIds);
    }

    /**
     * @throws IllegalStateException if a child process has exited.
     */
    void checkAlive()
    {
        for (final CliProcess process : processes)
        {
            if (!process.process.isAlive())
            {
                throw new IllegalStateException(process.role + " (pid " + process.process.pid() + ") exited with " +
                    process.process.exitValue());
            }
        }
    }

    /**
     * Stops every child (SIGTERM, then SIGKILL after {@value #STOP_TIMEOUT_MS} ms) and deletes the fabric directory.
     * Idempotent.
     */
    @Override
    public void close()
    {
        for (final CliProcess process : processes)
        {
            process.process.destroy();
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MS);
        for (final CliProcess process : processes)
        {
            process.awaitExit(deadlineNs);
        }
        processes.clear();
        try
        {
            directory.close();
        }
        catch (final RuntimeException ex)
        {
            System.err.println("could not delete the fabric directory " + directory + ": " + ex.getMessage());
        }
    }

    private void startProcesses()
    {
        final String fabric = fabricDirectory().toString();
        controller = launch("controller", List.of("controller", "--fabric", fabric));
        controller.awaitReady();
        final List<CliProcess> hosts = new ArrayList<>();
        for (int i = 0; i < hostCount; i++)
        {
            hosts.add(launch("host " + i, List.of("host", "--fabric", fabric, "--donate",
                (donateBytesPerHost >> 20) + "MiB", "--chunk", (CHUNK_SIZE_BYTES >> 20) + "MiB")));
        }
        final Set<String> online = new HashSet<>();
        for (final CliProcess host : hosts)
        {
            hostNodeIds.add(host.awaitReady());
            online.add("host " + host.nodeId + " online");
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        while (!online.isEmpty())
        {
            online.remove(controller.awaitLine("host ", deadlineNs));
        }
        controller.forwardFromNowOn();
        for (final CliProcess host : hosts)
        {
            host.forwardFromNowOn();
        }
    }

    private CliProcess launch(final String role, final List<String> args)
    {
        final Process process = ChildJvm.start(FarlineChildMain.class, CHILD_JVM_ARGS, args);
        final CliProcess cli = new CliProcess(role, process);
        processes.add(cli);
        return cli;
    }

    /**
     * A child running a {@code farline} command: its output lines, read by a daemon thread (so it never blocks on a
     * full pipe), queued until the cluster is up and printed with a prefix after that.
     */
    private static final class CliProcess
    {
        private static final String END_OF_OUTPUT = "\u0000end";

        final String role;
        final Process process;
        final Thread reaper;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        volatile boolean forward;
        int nodeId;

        CliProcess(final String role, final Process process)
        {
            this.role = role;
            this.process = process;
            this.reaper = new Thread(process::destroyForcibly, "farline-bench-cluster-reaper-" + process.pid());
            Runtime.getRuntime().addShutdownHook(reaper);
            final Thread pump = new Thread(this::pump, "farline-bench-cluster-output-" + process.pid());
            pump.setDaemon(true);
            pump.start();
        }

        private void pump()
        {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = in.readLine()))
                {
                    if (forward)
                    {
                        System.out.println("[" + role + " " + process.pid() + "] " + line);
                    }
                    else
                    {
                        lines.add(line);
                    }
                }
            }
            catch (final IOException ignore)
            {
                // The pipe closed with the process.
            }
            lines.add(END_OF_OUTPUT);
        }

        int awaitReady()
        {
            final String ready = awaitLine("READY ",
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS));
            final String[] words = ready.split(" ");
            nodeId = Integer.parseInt(words[words.length - 1]);
            return nodeId;
        }

        String awaitLine(final String prefix, final long deadlineNs)
        {
            try
            {
                while (true)
                {
                    final long leftNs = deadlineNs - System.nanoTime();
                    final String line = leftNs > 0 ? lines.poll(leftNs, TimeUnit.NANOSECONDS) : null;
                    if (null == line)
                    {
                        throw new IllegalStateException(role + " (pid " + process.pid() + ") printed no line " +
                            "starting with '" + prefix + "' in time; its standard error is above");
                    }
                    if (END_OF_OUTPUT.equals(line))
                    {
                        throw new IllegalStateException(role + " (pid " + process.pid() + ") exited before " +
                            "printing '" + prefix + "'; its standard error is above");
                    }
                    if (line.startsWith(prefix))
                    {
                        return line;
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + role, ex);
            }
        }

        void forwardFromNowOn()
        {
            forward = true;
            String line;
            while (null != (line = lines.poll()))
            {
                if (!END_OF_OUTPUT.equals(line))
                {
                    System.out.println("[" + role + " " + process.pid() + "] " + line);
                }
            }
        }

        void awaitExit(final long deadlineNs)
        {
            try
            {
                final long leftNs = Math.max(0, deadlineNs - System.nanoTime());
                if (!process.waitFor(leftNs, TimeUnit.NANOSECONDS))
                {
                    System.err.println(role + " (pid " + process.pid() + ") did not stop on SIGTERM: killing it");
                    process.destroyForcibly();
                    process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                }
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            try
            {
                Runtime.getRuntime().removeShutdownHook(reaper);
            }
            catch (final IllegalStateException ignore)
            {
                // The JVM is shutting down: the hook runs anyway and finds the process gone.
            }
        }
    }
}
