package io.farline.transport;

import io.farline.transport.region.RegionFile;

/**
 * A peer's registered region as attached to one {@link QueuePair}, with the rkey this side presents. Obtained from
 * {@link QueuePair#attach(RegionHandle)} and passed to that queue pair's one-sided verbs. Immutable; the checks it
 * makes read the region's registration state with acquire semantics on every verb.
 */
public final class RemoteRegion
{
    private final QueuePair queuePair;
    private final RegionFile file;
    private final long rkey;

    RemoteRegion(final QueuePair queuePair, final RegionFile file, final long rkey)
    {
        this.queuePair = queuePair;
        this.file = file;
        this.rkey = rkey;
    }

    /**
     * @return the owning node's id.
     */
    public int nodeId()
    {
        return file.nodeId();
    }

    /**
     * @return the region id.
     */
    public int regionId()
    {
        return file.regionId();
    }

    /**
     * @return the region's registered length in bytes.
     */
    public int lengthBytes()
    {
        return file.dataLength();
    }

    QueuePair queuePair()
    {
        return queuePair;
    }

    RegionFile file()
    {
        return file;
    }

    /**
     * The checks of an RDMA NIC on an incoming request: key, access, registration, bounds, alignment.
     */
    int check(final int requiredAccess, final long offset, final int length, final boolean atomic)
    {
        final RegionFile file = this.file;
        if (rkey != file.rkey() || (file.accessFlags() & requiredAccess) == 0 || !file.isRegisteredAcquire())
        {
            return CompletionStatus.REMOTE_ACCESS_ERROR;
        }
        if (offset < 0 || length < 0 || offset > file.dataLength() - (long)length || (atomic && (offset & 7) != 0))
        {
            return CompletionStatus.REMOTE_INVALID_REQUEST;
        }
        return CompletionStatus.SUCCESS;
    }

    /**
     * Says which check failed, for exception messages; cold.
     */
    String describeFailure(final Verb verb, final long offset, final int length)
    {
        if (rkey != file.rkey())
        {
            return "rkey 0x" + Long.toHexString(rkey) + " does not match the registration's";
        }
        if ((file.accessFlags() & verb.requiredAccess()) == 0)
        {
            return verb + " needs " + AccessFlags.toString(verb.requiredAccess()) + " but the region allows " +
                AccessFlags.toString(file.accessFlags());
        }
        if (!file.isRegisteredAcquire())
        {
            return "the region is deregistered";
        }
        if (offset < 0 || length < 0 || offset > file.dataLength() - (long)length)
        {
            return "offset " + offset + " length " + length + " is outside the region's " + file.dataLength() +
                " bytes";
        }
        if ((offset & 7) != 0)
        {
            return "offset " + offset + " is not 8-byte aligned for an atomic";
        }
        return "the peer is not alive";
    }

    @Override
    public String toString()
    {
        return "RemoteRegion{node=" + file.nodeId() + ", region=" + file.regionId() + ", length=" +
            file.dataLength() + '}';
    }
}
