package io.farline.transport;

import org.agrona.BitUtil;
import org.agrona.ErrorHandler;

import static io.farline.transport.control.ControlFileDescriptor.CTL_MAX_INBOX_CAPACITY;
import static io.farline.transport.control.ControlFileDescriptor.CTL_MIN_INBOX_CAPACITY;

/**
 * Configuration of a {@link Node}, set fluently before {@link Node#launch(NodeConfig)}. Each setter checks its
 * value and throws {@link IllegalArgumentException} naming the setting and the bad value. Not thread-safe; a
 * launched node copies what it needs.
 */
public final class NodeConfig
{
    /** Default inbox ring capacity: 1 MiB, so messages up to 128 KiB. */
    public static final int DEFAULT_INBOX_CAPACITY_BYTES = 1 << 20;
    /** Default number of counters in the control file. */
    public static final int DEFAULT_COUNTER_COUNT = 1024;
    /** Default heartbeat interval. */
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 100;
    /** Default liveness timeout. */
    public static final long DEFAULT_LIVENESS_TIMEOUT_MS = 1000;
    /** Default wait for a peer's file to be published. */
    public static final long DEFAULT_ATTACH_TIMEOUT_MS = 2000;

    private Fabric fabric;
    private int nodeId;
    private int inboxCapacityBytes = DEFAULT_INBOX_CAPACITY_BYTES;
    private int counterCount = DEFAULT_COUNTER_COUNT;
    private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
    private long livenessTimeoutMs = DEFAULT_LIVENESS_TIMEOUT_MS;
    private long attachTimeoutMs = DEFAULT_ATTACH_TIMEOUT_MS;
    private LinkModel linkModel = LinkModel.NONE;
    private boolean conductorThread = true;
    private ErrorHandler errorHandler = Throwable::printStackTrace;

    /**
     * @param fabric the fabric the node joins; required.
     * @return this.
     */
    public NodeConfig fabric(final Fabric fabric)
    {
        this.fabric = fabric;
        return this;
    }

    /**
     * @param nodeId the node's id in 1..{@link Fabric#MAX_NODE_ID}, or 0 (the default) for the lowest free id.
     * @return this.
     */
    public NodeConfig nodeId(final int nodeId)
    {
        if (nodeId < 0 || nodeId > Fabric.MAX_NODE_ID)
        {
            throw new IllegalArgumentException("nodeId " + nodeId + " is outside 0.." + Fabric.MAX_NODE_ID);
        }
        this.nodeId = nodeId;
        return this;
    }

    /**
     * @param inboxCapacityBytes inbox ring capacity, a power of two from 4 KiB to 256 MiB; the largest message is an
     *                           eighth of it.
     * @return this.
     */
    public NodeConfig inboxCapacityBytes(final int inboxCapacityBytes)
    {
        if (inboxCapacityBytes < CTL_MIN_INBOX_CAPACITY || inboxCapacityBytes > CTL_MAX_INBOX_CAPACITY ||
            !BitUtil.isPowerOfTwo(inboxCapacityBytes))
        {
            throw new IllegalArgumentException("inboxCapacityBytes " + inboxCapacityBytes +
                " must be a power of two from " + CTL_MIN_INBOX_CAPACITY + " to " + CTL_MAX_INBOX_CAPACITY);
        }
        this.inboxCapacityBytes = inboxCapacityBytes;
        return this;
    }

    /**
     * @param counterCount counters the control file holds, 64..65536; each queue pair takes ten.
     * @return this.
     */
    public NodeConfig counterCount(final int counterCount)
    {
        if (counterCount < 64 || counterCount > 65536)
        {
            throw new IllegalArgumentException("counterCount " + counterCount + " is outside 64..65536");
        }
        this.counterCount = counterCount;
        return this;
    }

    /**
     * @param heartbeatIntervalMs how often the node publishes its heartbeat, 1..10000 ms.
     * @return this.
     */
    public NodeConfig heartbeatIntervalMs(final long heartbeatIntervalMs)
    {
        if (heartbeatIntervalMs < 1 || heartbeatIntervalMs > 10_000)
        {
            throw new IllegalArgumentException("heartbeatIntervalMs " + heartbeatIntervalMs + " is outside 1..10000");
        }
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        return this;
    }

    /**
     * @param livenessTimeoutMs heartbeat age beyond which a peer is dead; more than twice the heartbeat interval.
     * @return this.
     */
    public NodeConfig livenessTimeoutMs(final long livenessTimeoutMs)
    {
        if (livenessTimeoutMs < 2 || livenessTimeoutMs > 600_000)
        {
            throw new IllegalArgumentException("livenessTimeoutMs " + livenessTimeoutMs + " is outside 2..600000");
        }
        this.livenessTimeoutMs = livenessTimeoutMs;
        return this;
    }

    /**
     * @param attachTimeoutMs how long to wait for a peer's file to be published, 0..60000 ms.
     * @return this.
     */
    public NodeConfig attachTimeoutMs(final long attachTimeoutMs)
    {
        if (attachTimeoutMs < 0 || attachTimeoutMs > 60_000)
        {
            throw new IllegalArgumentException("attachTimeoutMs " + attachTimeoutMs + " is outside 0..60000");
        }
        this.attachTimeoutMs = attachTimeoutMs;
        return this;
    }

    /**
     * @param linkModel the network model for completions; {@link LinkModel#NONE} by default.
     * @return this.
     */
    public NodeConfig linkModel(final LinkModel linkModel)
    {
        if (null == linkModel)
        {
            throw new IllegalArgumentException("linkModel must not be null; use LinkModel.NONE");
        }
        this.linkModel = linkModel;
        return this;
    }

    /**
     * @param conductorThread true (the default) to run the heartbeat and liveness duty cycle on a thread of its own;
     *                        false to drive it by calling {@link Node#doConductorWork()}.
     * @return this.
     */
    public NodeConfig conductorThread(final boolean conductorThread)
    {
        this.conductorThread = conductorThread;
        return this;
    }

    /**
     * @param errorHandler receives errors from the conductor and listeners; prints them by default.
     * @return this.
     */
    public NodeConfig errorHandler(final ErrorHandler errorHandler)
    {
        if (null == errorHandler)
        {
            throw new IllegalArgumentException("errorHandler must not be null");
        }
        this.errorHandler = errorHandler;
        return this;
    }

    Fabric fabric()
    {
        return fabric;
    }

    int nodeId()
    {
        return nodeId;
    }

    int inboxCapacityBytes()
    {
        return inboxCapacityBytes;
    }

    int counterCount()
    {
        return counterCount;
    }

    long heartbeatIntervalMs()
    {
        return heartbeatIntervalMs;
    }

    long livenessTimeoutMs()
    {
        return livenessTimeoutMs;
    }

    long attachTimeoutMs()
    {
        return attachTimeoutMs;
    }

    LinkModel linkModel()
    {
        return linkModel;
    }

    boolean conductorThread()
    {
        return conductorThread;
    }

    ErrorHandler errorHandler()
    {
        return errorHandler;
    }
}
