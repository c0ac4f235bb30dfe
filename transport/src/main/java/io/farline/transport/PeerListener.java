package io.farline.transport;

/**
 * Told when a node sees a peer change state. Called on the node's conductor thread; keep it short. An exception
 * thrown by a listener is reported to the node's error handler and does not stop the conductor.
 */
@FunctionalInterface
public interface PeerListener
{
    /**
     * A peer changed state, or was seen for the first time (then {@code previous} is null).
     *
     * @param nodeId   the peer.
     * @param previous its previous state, or null when first seen.
     * @param current  its state now.
     * @param reason   why, e.g. "heartbeat 1503 ms old (timeout 1000 ms)" or "process 4242 is gone".
     */
    void onPeerStateChange(int nodeId, PeerState previous, PeerState current, String reason);
}
