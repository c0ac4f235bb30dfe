package io.farline.property.far;

import io.farline.transport.Node;

/**
 * The memory pool a {@link FarMemoryScenario} borrows from: a controller and memory hosts on the real transport, shared
 * by every trial of a property (starting a pool costs the controller's warm-up), and a fresh compute node for each
 * trial, so that whatever a failed trial leaves behind (chunks still lent, queue pairs) is freed by the controller
 * when that node closes. Used from the test thread only.
 */
interface HostPool extends AutoCloseable
{
    /**
     * Restores the pool between trials: replaces the hosts killed, paused or reclaimed from so far and waits until the
     * controller knows every live host and no dead one, so that each trial starts from the same number of hosts with
     * room.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    void replenish() throws InterruptedException;

    /**
     * @return a new compute node on the pool's fabric; the caller closes it.
     */
    Node launchCompute();

    /**
     * Makes a memory host die the way the pool's hosts die: the host is gone once this returns, as far as its own
     * process goes; the compute node learns of it through the transport, as it would of a real death.
     *
     * @param nodeId the host's node id.
     * @throws InterruptedException if interrupted while waiting for the death.
     */
    void kill(int nodeId) throws InterruptedException;

    /**
     * Stops a memory host's heartbeat and duty cycle without closing its node: its memory stays registered and
     * reachable, and its peers declare it dead when its heartbeat is older than their liveness timeout.
     *
     * @param nodeId the host's node id.
     */
    void pause(int nodeId);

    /**
     * Has a memory host ask for memory back: every chunk it has free and {@code lentChunks} of those it lends, which
     * the controller asks their borrowers to evacuate. The host lends nothing more until it is replaced.
     *
     * @param nodeId     the host's node id.
     * @param lentChunks lent chunks wanted back, at least 1.
     */
    void reclaim(int nodeId, int lentChunks);

    /**
     * @param nodeId a live host (neither killed nor paused).
     * @return the state of each of its chunks ({@code ChunkTableDescriptor.STATE_*}), read from its chunk table.
     */
    int[] chunkStates(int nodeId);

    /**
     * @return what the pool is, for reports.
     */
    String describe();

    @Override
    void close();
}
