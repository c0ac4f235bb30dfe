package io.farline.property.far;

import io.farline.core.pool.MemoryHost;
import io.farline.core.pool.PoolController;
import io.farline.transport.LinkModel;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.TestFabric;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A pool whose controller and memory hosts are nodes of this JVM on the real transport (shared-memory regions, queue
 * pairs, conductors judging liveness): no mocks, and a trial costs no process start. One agent thread runs the
 * controller's and the hosts' duty cycles; each node heartbeats from its own conductor thread.
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
    private static final long LIVENESS_TIMEOUT_MS = 30_000;
    private static final long READY_TIMEOUT_MS = 20_000;

    private final TestFabric fabric;
    private final int hostCount;
    private final long donateBytes;
    private final int chunkSizeBytes;
    private final LinkModel linkModel;
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<Host> hosts = new CopyOnWriteArrayList<>();
    private final Node controllerNode;
    private final PoolDuty duty;
    private final AgentRunner runner;
    private int killed;

    /**
     * Starts the controller and the hosts, and waits until the controller lends from every host.
     *
     * @param fabric         the test's fabric; every node is launched through it.
     * @param hostCount      memory hosts kept alive between trials.
     * @param donateBytes    what each host donates.
     * @param chunkSizeBytes the pool's chunk size.
     * @param linkModel      the compute nodes' link model (delays completions, so that WRITEs are in flight).
     * @throws InterruptedException if interrupted while waiting.
     */
    InProcessPool(final TestFabric fabric, final int hostCount, final long donateBytes, final int chunkSizeBytes,
        final LinkModel linkModel) throws InterruptedException
    {
        this.fabric = fabric;
        this.hostCount = hostCount;
        this.donateBytes = donateBytes;
        this.chunkSizeBytes = chunkSizeBytes;
        this.linkModel = linkModel;
        fabric.expectLeftovers(); // the controller's locator file
        controllerNode = fabric.launch(nodeConfig());
        duty = new PoolDuty(PoolController.start(controllerNode, errors::add));
        runner = new AgentRunner(new SleepingMillisIdleStrategy(1), errors::add, null, duty);
        AgentRunner.startOnThread(runner);
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
        while (hosts.size() < hostCount)
        {
            final Node node = fabric.launch(nodeConfig());
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
                    ", after " + READY_TIMEOUT_MS + " ms; errors " + errors);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public Node launchCompute()
    {
        return fabric.launch(nodeConfig().linkModel(linkModel));
    }

    @Override
    public void kill(final int nodeId)
    {
        for (final Host host : hosts)
        {
            if (host.node.nodeId() == nodeId)
            {
                hosts.remove(host);
                host.kill();
                killed++;
                return;
            }
        }
        throw new IllegalArgumentException("no live host has node id " + nodeId);
    }

    @Override
    public String describe()
    {
        return hostCount + " in-process hosts (" + killed + " killed so far)";
    }

    @Override
    public void close()
    {
        runner.close();
        duty.controller.close();
        for (final Host host : new ArrayList<>(hosts))
        {
            host.kill(); // the chunks are all free again: nothing is lost, and the files go with the node
        }
        hosts.clear();
        controllerNode.close();
    }

    private static NodeConfig nodeConfig()
    {
        return new NodeConfig().livenessTimeoutMs(LIVENESS_TIMEOUT_MS);
    }

    /**
     * A host node and its memory host; its duty cycle and its death exclude each other, so that a host is never
     * announcing itself on a node being closed.
     */
    private static final class Host
    {
        final Node node;
        final MemoryHost memoryHost;
        boolean dead;

        Host(final Node node, final MemoryHost memoryHost)
        {
            this.node = node;
            this.memoryHost = memoryHost;
        }

        synchronized int doWork()
        {
            return dead ? 0 : memoryHost.doWork();
        }

        synchronized void kill()
        {
            dead = true;
            node.close(); // no withdrawal first: what is lent is lost, as with a crash
        }
    }

    /**
     * The controller's and the hosts' duty cycles, on the pool's agent thread; publishes which hosts the controller
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
            int work = controller.doWork();
            for (final Host host : hosts)
            {
                work += host.doWork();
            }
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
