package io.farline.transport;

import io.farline.transport.control.ControlFile;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.Agent;

/**
 * A node's duty cycle: publishes its heartbeat every interval, and every interval judges each peer in the fabric
 * (see {@link Liveness}), telling listeners of changes. Runs on one thread (an {@code AgentRunner} or the
 * application through an {@code AgentInvoker}). Cold: allocations here (directory listings, verdicts) happen a
 * few times a second, not per verb.
 */
final class NodeConductor implements Agent
{
    private final Node node;
    private final ControlFile controlFile;
    private final long heartbeatIntervalMs;
    private final long livenessTimeoutMs;
    private final IntHashSet reportedRefusals = new IntHashSet();
    private long nextHeartbeatMs;
    private long nextScanMs;

    NodeConductor(final Node node, final ControlFile controlFile, final long heartbeatIntervalMs,
        final long livenessTimeoutMs)
    {
        this.node = node;
        this.controlFile = controlFile;
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        this.livenessTimeoutMs = livenessTimeoutMs;
    }

    @Override
    public int doWork()
    {
        final long nowMs = System.currentTimeMillis();
        int work = 0;
        if (nowMs - nextHeartbeatMs >= 0)
        {
            controlFile.heartbeatRelease(nowMs);
            nextHeartbeatMs = nowMs + heartbeatIntervalMs;
            work++;
        }
        if (nowMs - nextScanMs >= 0 && !node.isClosed())
        {
            nextScanMs = nowMs + heartbeatIntervalMs;
            work += discoverPeers();
            work += judgePeers(nowMs);
        }
        return work;
    }

    private int discoverPeers()
    {
        int discovered = 0;
        for (final int peerNodeId : node.fabric().nodeIds())
        {
            if (peerNodeId == node.nodeId() || node.isKnownIncarnation(peerNodeId))
            {
                continue;
            }
            try
            {
                // No waiting here: the conductor must keep heartbeating. An unpublished file is retried next scan.
                node.peer(peerNodeId, 0);
                reportedRefusals.remove(peerNodeId);
                discovered++;
            }
            catch (final FabricFileException ex)
            {
                // A corrupt or foreign file: reported once per node id. A node still starting is not reported.
                if (!ex.isUnpublished() && reportedRefusals.add(peerNodeId))
                {
                    node.errorHandler().onError(ex);
                }
            }
            catch (final IllegalStateException ex)
            {
                return discovered; // the node closed meanwhile
            }
        }
        return discovered;
    }

    private int judgePeers(final long nowMs)
    {
        int changes = 0;
        for (final RemotePeer peer : node.knownPeers())
        {
            final PeerState previous = peer.state();
            if (previous != PeerState.ALIVE)
            {
                continue; // DEAD and CLOSED are final for an incarnation; a new incarnation is discovered anew.
            }
            final Liveness.Verdict verdict = Liveness.evaluate(peer.controlFile(), nowMs, livenessTimeoutMs);
            if (verdict.state() != previous)
            {
                peer.state(verdict.state(), verdict.reason());
                node.notifyListeners(peer.nodeId(), previous, verdict.state(), verdict.reason());
                changes++;
            }
        }
        return changes;
    }

    @Override
    public String roleName()
    {
        return "farline-conductor-" + node.nodeId();
    }
}
