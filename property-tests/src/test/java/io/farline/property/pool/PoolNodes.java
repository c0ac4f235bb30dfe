package io.farline.property.pool;

import io.farline.core.pool.MemoryHost;
import io.farline.core.pool.PoolClient;
import io.farline.core.pool.PoolController;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.PeerState;
import io.farline.transport.QueuePair;
import io.farline.transport.RemoteRegion;
import io.farline.transport.TestFabric;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static io.farline.core.pool.ChunkTableDescriptor.entryOffset;
import static io.farline.core.pool.ChunkTableDescriptor.tableLengthBytes;

/**
 * The system under test of one trial: a controller, memory hosts and borrowers, each a node of this JVM on the real
 * transport, and an observer node that reads the hosts' chunk tables as a peer would. The test thread drives every
 * duty cycle of the controller and the hosts ({@link #drive}); a borrower's {@link PoolClient} call runs on the
 * scenario's worker thread while the test thread drives, since the client waits for the controller's answer.
 * <p>
 * Liveness: the hosts' nodes have no conductor thread of their own; the scenario's heartbeat thread runs their
 * conductors, except a paused host's, so that a host is paused by skipping it there and in {@link #drive}, and a
 * stall of the test thread is not taken for a host's death. Only the controller's node judges its peers with a short
 * timeout ({@link #CONTROLLER_LIVENESS_TIMEOUT_MS}), so that a pause costs half a second; every other node judges
 * with a long one, so that borrowers and hosts never see a paused host dead (only closed ones, which is immediate).
 */
final class PoolNodes implements AutoCloseable
{
    /** The controller's node declares a paused host dead after this. */
    static final long CONTROLLER_LIVENESS_TIMEOUT_MS = 500;
    /** Every other node's timeout: long, so that no stall passes for a death. */
    static final long LIVENESS_TIMEOUT_MS = 30_000;
    /** Heartbeats and liveness scans: often, so that deaths and closes are seen within milliseconds. */
    static final long HEARTBEAT_INTERVAL_MS = 10;
    /** The longest any wait for the pool takes before it fails the trial. */
    static final long WAIT_MS = 10_000;
    /** A client's wait for an answer: longer than any trial step, so that the client never retries on its own. */
    static final long CLIENT_TIMEOUT_MS = 20_000;

    final Host[] hosts;
    final Borrower[] borrowers;
    final List<Throwable> controllerErrors = new CopyOnWriteArrayList<>();
    private final TestFabric fabric;
    private final ExecutorService worker;
    private final List<Node> launched = new ArrayList<>();
    private final Node observer;
    private Node controllerNode;
    private PoolController controller;
    private Set<Integer> goneToController = Set.of();
    private long warmAtMs;

    PoolNodes(final TestFabric fabric, final PoolSetup setup, final ExecutorService worker)
    {
        this.fabric = fabric;
        this.worker = worker;
        this.observer = launch(config(LIVENESS_TIMEOUT_MS));
        hosts = new Host[setup.hosts()];
        borrowers = new Borrower[setup.borrowers()];
        startController();
        for (int slot = 0; slot < hosts.length; slot++)
        {
            hosts[slot] = new Host(slot, PoolSetup.chunksOf(slot));
            startHost(hosts[slot], 0);
        }
        for (int slot = 0; slot < borrowers.length; slot++)
        {
            borrowers[slot] = startBorrower(slot);
        }
        awaitHostsKnown();
    }

    private static NodeConfig config(final long livenessTimeoutMs)
    {
        return new NodeConfig().heartbeatIntervalMs(HEARTBEAT_INTERVAL_MS).livenessTimeoutMs(livenessTimeoutMs);
    }

    private Node launch(final NodeConfig config)
    {
        final Node node = fabric.launch(config);
        launched.add(node);
        return node;
    }

    boolean controllerRunning()
    {
        return null != controller;
    }

    PoolController controller()
    {
        return controller;
    }

    int controllerNodeId()
    {
        return controllerNode.nodeId();
    }

    /**
     * Starts a controller on a new node and waits until it knows every live host; its node's listener (added after
     * the controller's, so told after it) records the nodes it saw die or close.
     */
    void startController()
    {
        controllerNode = launch(config(CONTROLLER_LIVENESS_TIMEOUT_MS));
        controller = PoolController.start(controllerNode, controllerErrors::add);
        warmAtMs = System.currentTimeMillis() + PoolController.WARM_UP_MS;
        final Set<Integer> gone = ConcurrentHashMap.newKeySet();
        controllerNode.addPeerListener((nodeId, previous, current, reason) ->
        {
            if (current != PeerState.ALIVE)
            {
                gone.add(nodeId);
            }
        });
        goneToController = gone;
        if (null != hosts[hosts.length - 1])
        {
            awaitHostsKnown();
        }
    }

    /**
     * Closes the controller's node abruptly: no {@code PoolController.close()}, its duty cycle no longer driven.
     */
    void killController()
    {
        controllerNode.close();
        controllerNode = null;
        controller = null;
        for (final Borrower borrower : borrowers)
        {
            borrower.closeRaw();
        }
    }

    void awaitHostsKnown()
    {
        driveUntil(() -> controller.hostIds().equals(liveHostIds()), () -> "the controller knows hosts " +
            controller.hostIds() + ", the live ones are " + liveHostIds());
    }

    /**
     * Waits until the controller may answer allocations, so that an allocation is not left deferred.
     */
    void awaitWarm()
    {
        driveUntil(() -> System.currentTimeMillis() - warmAtMs > 0, () -> "warm-up");
    }

    Set<Integer> liveHostIds()
    {
        final Set<Integer> live = new TreeSet<>();
        for (final Host host : hosts)
        {
            if (host.live())
            {
                live.add(host.nodeId);
            }
        }
        return live;
    }

    /**
     * @param nodeId a node.
     * @return whether the controller's node has told its listeners that the node died or closed.
     */
    boolean goneToController(final int nodeId)
    {
        return goneToController.contains(nodeId);
    }

    /**
     * @param nodeId a node.
     * @return the controller's node's view of it.
     */
    PeerState controllerView(final int nodeId)
    {
        return controllerNode.peerState(nodeId);
    }

    /**
     * Starts a host in the slot, under a node id if one is given (a restart), and attaches the observer to its table.
     */
    void startHost(final Host host, final int nodeId)
    {
        final NodeConfig config = config(LIVENESS_TIMEOUT_MS).conductorThread(false);
        final Node node = launch(0 == nodeId ? config : config.nodeId(nodeId));
        final MemoryHost memoryHost = MemoryHost.start(node, (long)host.chunkCount * PoolSetup.CHUNK_SIZE_BYTES,
            PoolSetup.CHUNK_SIZE_BYTES);
        final QueuePair qp = observer.connect(node.nodeId());
        host.start(node, memoryHost, qp, qp.attach(memoryHost.tableHandle()));
    }

    Borrower startBorrower(final int slot)
    {
        final Node node = launch(config(LIVENESS_TIMEOUT_MS));
        return new Borrower(slot, node, new PoolClient(node, CLIENT_TIMEOUT_MS));
    }

    /**
     * One duty cycle of the controller, if one runs, and of every live host.
     *
     * @return work done.
     */
    int drive()
    {
        int work = null != controller ? controller.doWork() : 0;
        for (final Host host : hosts)
        {
            if (host.live())
            {
                work += host.memoryHost.doWork();
            }
        }
        return work;
    }

    /**
     * Drives until the controller has had nothing to do for a few duty cycles in a row: every message sent to it so
     * far, and every death its node reported, is handled.
     */
    void settle()
    {
        int idle = 0;
        while (null != controller && idle < 3)
        {
            idle = drive() == 0 ? idle + 1 : 0;
        }
    }

    void driveUntil(final BooleanSupplier done, final java.util.function.Supplier<String> what)
    {
        final long deadlineMs = System.currentTimeMillis() + WAIT_MS;
        while (!done.getAsBoolean())
        {
            if (System.currentTimeMillis() - deadlineMs > 0)
            {
                throw new AssertionError("not done in " + WAIT_MS + " ms: " + what.get() + "; controller errors " +
                    controllerErrors);
            }
            if (0 == drive())
            {
                LockSupport.parkNanos(100_000);
            }
        }
    }

    /**
     * Runs a client call on the worker thread, driving the pool until it returns.
     *
     * @return what the call returned.
     * @throws RuntimeException what the call threw.
     */
    <T> T call(final Callable<T> call)
    {
        final Future<T> future = worker.submit(call);
        driveUntil(future::isDone, () -> "a client call did not return");
        try
        {
            return future.get();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            throw new IllegalStateException(ex.getCause());
        }
    }

    /**
     * Runs the heartbeats of the hosts that are not paused: called on the scenario's heartbeat thread.
     */
    void heartbeat()
    {
        for (final Host host : hosts)
        {
            if (null != host)
            {
                host.heartbeat();
            }
        }
    }

    @Override
    public void close()
    {
        for (final Host host : hosts)
        {
            if (null != host)
            {
                host.close();
            }
        }
        for (final Borrower borrower : borrowers)
        {
            if (null != borrower)
            {
                borrower.closeRaw();
            }
        }
        for (final Node node : launched)
        {
            node.close();
        }
    }

    /**
     * A host slot: its current node (a restart replaces it under the same node id), its memory host, and the
     * observer's queue pair to its table. Its heartbeat (on the heartbeat thread) and its close exclude each other.
     */
    static final class Host
    {
        final int slot;
        final int chunkCount;
        private final UnsafeBuffer table;
        int nodeId;
        Node node;
        MemoryHost memoryHost;
        private QueuePair observerQp;
        private RemoteRegion remoteTable;
        private volatile boolean paused;
        private boolean closed;

        Host(final int slot, final int chunkCount)
        {
            this.slot = slot;
            this.chunkCount = chunkCount;
            this.table = new UnsafeBuffer(new byte[tableLengthBytes(chunkCount)]);
        }

        synchronized void start(final Node node, final MemoryHost memoryHost, final QueuePair observerQp,
            final RemoteRegion remoteTable)
        {
            this.nodeId = node.nodeId();
            this.node = node;
            this.memoryHost = memoryHost;
            this.observerQp = observerQp;
            this.remoteTable = remoteTable;
            this.paused = false;
            this.closed = false;
        }

        boolean live()
        {
            return !paused && !isClosed();
        }

        synchronized boolean isClosed()
        {
            return closed;
        }

        void pause()
        {
            paused = true;
        }

        synchronized void heartbeat()
        {
            if (!closed && !paused)
            {
                node.doConductorWork();
            }
        }

        /**
         * Closes the node without the orderly stop: the table and the data are deregistered with it.
         */
        synchronized void close()
        {
            if (!closed)
            {
                closed = true;
                observerQp.close();
                node.close();
            }
        }

        /**
         * Reads the table as a peer, by one-sided READ.
         *
         * @return the entries.
         */
        long[] entries()
        {
            observerQp.read(table, 0, table.capacity(), remoteTable, 0);
            final long[] entries = new long[chunkCount];
            for (int chunk = 0; chunk < chunkCount; chunk++)
            {
                entries[chunk] = table.getLong(entryOffset(chunk));
            }
            return entries;
        }
    }

    /**
     * A borrower slot: its node, its client, and a queue pair of its own to the controller for the messages the
     * client does not send itself ({@code RECONCILE}, an {@code ALLOCATE} whose reply is lost).
     */
    static final class Borrower
    {
        final int slot;
        final Node node;
        final PoolClient client;
        private QueuePair raw;

        Borrower(final int slot, final Node node, final PoolClient client)
        {
            this.slot = slot;
            this.node = node;
            this.client = client;
        }

        QueuePair raw(final int controllerNodeId)
        {
            if (null != raw && raw.peerNodeId() != controllerNodeId)
            {
                closeRaw();
            }
            if (null == raw)
            {
                raw = node.connect(controllerNodeId);
            }
            return raw;
        }

        void closeRaw()
        {
            if (null != raw)
            {
                raw.close();
                raw = null;
            }
        }
    }
}
