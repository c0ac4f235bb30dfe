package io.farline.transport;

import io.farline.transport.control.ControlFile;
import io.farline.transport.region.RegionFile;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * One incarnation of a peer as this node sees it: its attached control file, its liveness as last judged by this
 * node's conductor, and the region files this node has attached. Shared by the queue pairs to that peer.
 * <p>
 * Threading: {@link #state} is written by the conductor and read by queue pairs on every write, atomic and send
 * (a volatile load, a plain load on x86). Region attachment is synchronised; it is a cold path.
 */
final class RemotePeer
{
    private final Fabric fabric;
    private final int nodeId;
    private final ControlFile controlFile;
    private final Object fileKey;
    private final long attachTimeoutMs;
    private final Int2ObjectHashMap<RegionFile> regions = new Int2ObjectHashMap<>();
    private final int maxMessageLength;
    private final int laneCapacity;
    private volatile PeerState state;
    private volatile String reason = "not yet judged";

    RemotePeer(final Fabric fabric, final ControlFile controlFile, final long attachTimeoutMs)
    {
        this.fabric = fabric;
        this.nodeId = controlFile.nodeId();
        this.controlFile = controlFile;
        this.fileKey = fileKey(controlFile.file());
        this.attachTimeoutMs = attachTimeoutMs;
        final ManyToOneRingBuffer inbox = new ManyToOneRingBuffer(controlFile.inboxBuffer());
        this.maxMessageLength = inbox.maxMsgLength();
        this.laneCapacity = inbox.capacity();
    }

    static Object fileKey(final Path file)
    {
        try
        {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    int nodeId()
    {
        return nodeId;
    }

    ControlFile controlFile()
    {
        return controlFile;
    }

    /**
     * @return true unless the id's control file on disk belongs to a newer incarnation: it is the one this peer
     * attached, or there is none (the peer closed or was cleaned, and no process has taken the id since).
     */
    boolean isLatestIncarnation()
    {
        final Object current = fileKey(controlFile.file());
        return null == current || current.equals(fileKey);
    }

    /**
     * @return true while the control file on disk is the one this incarnation attached.
     */
    boolean isSameIncarnation()
    {
        final Object current = fileKey(controlFile.file());
        return null != current && current.equals(fileKey);
    }

    PeerState state()
    {
        return state;
    }

    String reason()
    {
        return reason;
    }

    boolean isAlive()
    {
        return state == PeerState.ALIVE;
    }

    void state(final PeerState state, final String reason)
    {
        this.reason = reason;
        // Volatile store: queue pairs load it on every write, atomic and send.
        this.state = state;
    }

    int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * @return capacity of the lanes SENDing to this peer: that of its inbox, so the largest message is the same.
     */
    int laneCapacity()
    {
        return laneCapacity;
    }

    synchronized RegionFile region(final int regionId)
    {
        RegionFile region = regions.get(regionId);
        if (null == region || !region.isRegisteredAcquire())
        {
            // Not cached, or deregistered since: go to the file, which says why if it is gone.
            region = RegionFile.attach(fabric.regionFile(nodeId, regionId), nodeId, regionId, attachTimeoutMs);
            regions.put(regionId, region);
        }
        return region;
    }
}
