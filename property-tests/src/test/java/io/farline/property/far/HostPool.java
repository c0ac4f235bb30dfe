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
     * Restores the pool between trials: replaces the hosts killed so far and waits until the controller knows every
     * live host and no dead one, so that each trial starts from the same number of hosts with room.
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
     * @return what the pool is, for reports.
     */
    String describe();

    @Override
    void close();
}
