package io.farline.bench;

import io.farline.transport.Fabric;
import io.farline.transport.NodeConfig;

import java.util.List;

/**
 * Settings shared by the nodes and peer JVMs of the benchmarks, on both sides of a process boundary.
 */
final class BenchNodes
{
    /**
     * Liveness timeout of benchmark nodes. Longer than the default so that a loaded machine (two spinning processes
     * on two cores) cannot get a peer declared dead mid-trial; it costs nothing on the hot path, which reads the
     * peer's state the same way whatever the timeout.
     */
    static final long LIVENESS_TIMEOUT_MS = 10_000;

    /** System property that turns Agrona's bounds checks off in benchmarks (STYLE 27). */
    static final String AGRONA_BOUNDS_CHECKS_PROPERTY = "agrona.disable.bounds.checks";

    private BenchNodes()
    {
    }

    /**
     * @param fabric the trial's fabric.
     * @return a node configuration with the default conductor thread.
     */
    static NodeConfig config(final Fabric fabric)
    {
        return new NodeConfig().fabric(fabric).livenessTimeoutMs(LIVENESS_TIMEOUT_MS);
    }

    /**
     * @return JVM arguments for peer JVMs: the bounds-check switch as this JVM has it, and a small heap.
     */
    static List<String> peerJvmArgs()
    {
        return List.of(
            "-D" + AGRONA_BOUNDS_CHECKS_PROPERTY + "=" + System.getProperty(AGRONA_BOUNDS_CHECKS_PROPERTY, "false"),
            "-Xms64m",
            "-Xmx256m");
    }
}
