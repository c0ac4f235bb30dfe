package io.farline.transport;

/**
 * What a node knows of a peer's liveness.
 */
public enum PeerState
{
    /** Its heartbeat is fresh and its process exists. */
    ALIVE,
    /**
     * Its heartbeat is older than the liveness timeout, or its process is gone. Once declared dead by an observer a
     * peer stays dead for that observer: others may already be recovering its data. Its region files stay readable
     * (one-sided READ still succeeds) until the fabric is cleaned.
     */
    DEAD,
    /** It closed cleanly and removed its regions. */
    CLOSED
}
