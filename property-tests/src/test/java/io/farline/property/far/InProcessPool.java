package io.farline.property.far;

import io.farline.core.pool.ChunkTableDescriptor;
import io.farline.core.pool.MemoryHost;
import io.farline.core.pool.PoolController;
import io.farline.transport.LinkModel;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.QueuePair;
import io.farline.transport.TestFabric;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A pool whose controller and memory hosts are nodes of this JVM on the real transport (shared-memory regions, queue
 * pairs, conductors judging liveness): no mocks, and a trial costs no process start. One agent thread runs the
 * controller's duty cycle, and another the hosts' duty cycles and their conductors (heartbeat and liveness), so that
 * a host can be paused: its heartbeat stops, and its peers declare it dead by liveness timeout ({@link #pause}).
 * <p>
 * A host is killed by closing its node without the orderly stop ({@link MemoryHost#withdrawDonation}): its control
 * file says closed and its regions are deregistered, so every verb on them fails with {@code PEER_DEAD} and the far
 * memory's queue pairs report the host gone, as the transport reports a dead peer. Nothing in the far memory is told
 * by the test.
 */
final class InProcessPool implements HostPool
{
    /**
     * Peers are judged with a long timeout: the hosts die by closing, which is seen at once, and a stall of this
     * loaded 2-core machine must not pass for a second death that parity does not cover.
     */
    static final long LIVENESS_TIMEOUT_MS = 30_000;
    /** Hosts heartbeat often, so that a compute node with a short liveness timeout has slack for stalls. */
    private static final long HOST_HEARTBEAT_INTERVAL_MS = 20;
    private static final long READY_TIMEOUT_MS = 20_000;

    private final TestFabric fabric;
    private final int hostCount;
    private final long donateBytes;
    private final int chunkSizeBytes;
    private final LinkModel linkModel;
    private final long computeLivenessTimeoutMs;
    /** What the controller reports: some of it is expected (a host that died under a verb, for instance). */
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    /** What escaped a duty cycle of the controller or the hosts: never expected, checked at {@link #close()}. */
    private final List<Throwable> agentErrors = new CopyOnWriteArrayList<>();
    private final List<Host> hosts = new CopyOnWriteArrayList<>();
    /** Hosts paused or reclaimed from in this trial: alive, but replaced at the next {@link #replenish()}. */
    private final List<Host> retiring = new ArrayList<>();
    private final Node controllerNode;
    /** Reads the hosts' chunk tables for {@link #chunkStates}, as any peer may. */
    private final Node inspector;
    private final Map<Integer, QueuePair> inspections = new HashMap<>();
    private final PoolDuty duty;
    private final AgentRunner runner;
    private final AgentRunner hostRunner;
    private int killed;
    private int paused;
    private int reclaimed;

    /**
     * @param fabric the test's fabric.
     * @param setup  the far memory the pool is for: its hosts, link model and compute nodes' liveness timeout.
     * @return a started pool.
     * @throws InterruptedException if interrupted while waiting.
     */
    static InProcessPool forSetup(final TestFabric fabric, final FarSetup setup) throws InterruptedException
    {
        return new InProcessPool(fabric, setup.hosts(), FarSetup.DONATE_BYTES, FarSetup.CHUNK_SIZE_BYTES,
            setup.linkModel(), setup.computeLivenessTimeoutMs());
    }

    /**
     * Starts the controller and the hosts, and waits until the controller lends from every host.
     *
     * @param fabric         the test's fabric; every node is launched through it.
     * @param hostCount      memory hosts kept alive between trials.
     * @param donateBytes    what each host donates.
     * @param chunkSizeBytes the pool's chunk size.
     * @param linkModel      the compute nodes' link model (delays completions, so that WRITEs are in flight).
     * @param computeLivenessTimeoutMs how long a compute node lets a peer's heartbeat age before it declares it dead.
     * @throws InterruptedException if interrupted while waiting.
     */
    InProcessPool(final TestFabric fabric, final int hostCount, final long donateBytes, final int chunkSizeBytes,
        final LinkModel linkModel, final long computeLivenessTimeoutMs) throws InterruptedException
    {
        this.fabric = fabric;
        this.hostCount = hostCount;
        this.donateBytes = donateBytes;
        this.chunkSizeBytes = chunkSizeBytes;
        this.linkModel = linkModel;
        this.computeLivenessTimeoutMs = computeLivenessTimeoutMs;
        fabric.expectLeftovers(); // the controller's locator file
        controllerNode = fabric.launch(nodeConfig());
        inspector = fabric.launch(nodeConfig());
        duty = new PoolDuty(PoolController.start(controllerNode, errors::add));
        runner = new AgentRunner(new SleepingMillisIdleStrategy(1), agentErrors::add, null, duty);
        AgentRunner.startOnThread(runner);
        hostRunner = new AgentRunner(new SleepingMillisIdleStrategy(1), agentErrors::add, null,
            new HostsDuty());
        AgentRunner.startOnThread(hostRunner);
        final long warmAtMs = System.currentTimeMillis() + PoolController.WARM_UP_MS;
        replenish();
        while (System.currentTimeMillis() - warmAtMs < 0)
        {
            Thread.sleep(10);
        }
    }

    @Override
    public void replenish() throws InterruptedException
    {
        inspections.values().forEach(QueuePair::close);
        inspections.clear();
        for (final Host host : retiring)
        {
            hosts.remove(host);
            host.kill(); // what it still lends belongs to a trial that is over
        }
        retiring.clear();
        while (hosts.size() < hostCount)
        {
            final Node node = fabric.launch(nodeConfig().conductorThread(false)
                .heartbeatIntervalMs(HOST_HEARTBEAT_INTERVAL_MS));
            hosts.add(new Host(node, MemoryHost.start(node, donateBytes, chunkSizeBytes)));
        }
        // The same hosts, not only as many: a host killed in the last trial may not be forgotten yet, and must not be
        // lent from.
        final Set<Integer> live = new HashSet<>();
        hosts.forEach(host -> live.add(host.node.nodeId()));
        final long deadlineMs = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (!duty.knownHosts.equals(live))
        {
            if (System.currentTimeMillis() - deadlineMs > 0)
            {
                throw new IllegalStateException("the controller knows hosts " + duty.knownHosts + ", not " + live +
                    ", after " + READY_TIMEOUT_MS + " ms; errors " + errors + ", duty cycles " + agentErrors);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public Node launchCompute()
    {
        return fabric.launch(nodeConfig().linkModel(linkModel).livenessTimeoutMs(computeLivenessTimeoutMs));
    }

    @Override
    public void kill(final int nodeId)
    {
        final Host host = liveHost(nodeId);
        hosts.remove(host);
        retiring.remove(host);
        host.kill();
        killed++;
    }

    @Override
    public void pause(final int nodeId)
    {
        final Host host = liveHost(nodeId);
        host.pause();
        if (!retiring.contains(host))
        {
            retiring.add(host);
        }
        paused++;
    }

    @Override
    public void reclaim(final int nodeId, final int lentChunks)
    {
        final Host host = liveHost(nodeId);
        final MemoryHost memoryHost = host.memoryHost;
        // The controller withdraws free chunks first, then asks the borrowers of lent ones to evacuate them.
        final int chunks = Math.min(memoryHost.chunkCount(),
            memoryHost.chunksIn(ChunkTableDescriptor.STATE_FREE) + lentChunks);
        memoryHost.requestReclaim((long)chunks * memoryHost.chunkSizeBytes());
        if (!retiring.contains(host))
        {
            retiring.add(host);
        }
        reclaimed++;
    }

    @Override
    public int[] chunkStates(final int nodeId)
    {
        final MemoryHost memoryHost = liveHost(nodeId).memoryHost;
        final int length = ChunkTableDescriptor.tableLengthBytes(memoryHost.chunkCount());
        final UnsafeBuffer table = new UnsafeBuffer(new byte[length]);
        final QueuePair qp = inspections.computeIfAbsent(nodeId, inspector::connect);
        qp.read(table, 0, length, qp.attach(memoryHost.tableHandle()), 0);
        final int[] states = new int[memoryHost.chunkCount()];
        for (int chunk = 0; chunk < states.length; chunk++)
        {
            states[chunk] = ChunkTableDescriptor.state(table.getLong(ChunkTableDescriptor.entryOffset(chunk)));
        }
        return states;
    }

    private Host liveHost(final int nodeId)
    {
        for (final Host host : hosts)
        {
            if (host.node.nodeId() == nodeId && !host.paused)
            {
                return host;
            }
        }
        throw new IllegalArgumentException("no live host has node id " + nodeId);
    }

    @Override
    public String describe()
    {
        return hostCount + " in-process hosts (" + killed + " killed, " + paused + " paused, " + reclaimed +
            " reclaiming so far)";
    }

    @Override
    public void close()
    {
        runner.close();
        hostRunner.close();
        duty.controller.close();
        for (final Host host : new ArrayList<>(hosts))
        {
            host.kill(); // the chunks are all free again: nothing is lost, and the files go with the node
        }
        hosts.clear();
        inspections.values().forEach(QueuePair::close);
        inspector.close();
        controllerNode.close();
        if (!agentErrors.isEmpty())
        {
            final AssertionError failure = new AssertionError("the pool's duty cycles threw: " + agentErrors);
            agentErrors.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static NodeConfig nodeConfig()
    {
        return new NodeConfig().livenessTimeoutMs(LIVENESS_TIMEOUT_MS);
    }

    /**
     * A host node and its memory host; its duty cycle (with its node's conductor) and its death exclude each other, so
     * that a host is never announcing itself on a node being closed. A paused host does no work at all: no heartbeat.
     */
    private static final class Host
    {
        final Node node;
        final MemoryHost memoryHost;
        volatile boolean paused;
        boolean dead;

        Host(final Node node, final MemoryHost memoryHost)
        {
            this.node = node;
            this.memoryHost = memoryHost;
        }

        synchronized int doWork()
        {
            return dead || paused ? 0 : node.doConductorWork() + memoryHost.doWork();
        }

        synchronized void pause()
        {
            paused = true;
        }

        synchronized void kill()
        {
            if (!dead)
            {
                dead = true;
                node.close(); // no withdrawal first: what is lent is lost, as with a crash
            }
        }
    }

    /**
     * The hosts' duty cycles and conductors, on an agent thread of their own, so that a slow pass of the controller
     * does not delay their heartbeats past a short liveness timeout.
     */
    private final class HostsDuty implements Agent
    {
        @Override
        public int doWork()
        {
            int work = 0;
            for (final Host host : hosts)
            {
                work += host.doWork();
            }
            return work;
        }

        @Override
        public String roleName()
        {
            return "far-property-hosts";
        }
    }

    /**
     * The controller's duty cycle, on the pool's agent thread; publishes which hosts the controller
     * knows (a copy), since the controller itself is single-threaded.
     */
    private final class PoolDuty implements Agent
    {
        final PoolController controller;
        volatile Set<Integer> knownHosts = Set.of();

        PoolDuty(final PoolController controller)
        {
            this.controller = controller;
        }

        @Override
        public int doWork()
        {
            final int work = controller.doWork();
            knownHosts = controller.hostIds(); // a copy, read by the test thread, which waits for it
            return work;
        }

        @Override
        public String roleName()
        {
            return "far-property-pool";
        }
    }
}
