package io.farline.transport;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What a peer needs to reach a registered region: the owning node, the region id, the remote key and the length.
 * The owner hands it out ({@link RegisteredRegion#handle()}), typically in a SEND; the peer attaches it to a queue
 * pair ({@link QueuePair#attach(RegionHandle)}) and presents the rkey with every one-sided verb.
 *
 * @param nodeId      the owning node.
 * @param regionId    the region's id within the node.
 * @param rkey        the remote key the owner generated at registration.
 * @param lengthBytes the region's length as the owner registered it.
 */
public record RegionHandle(int nodeId, int regionId, long rkey, long lengthBytes)
{
    /** Bytes {@link #encode} writes. */
    public static final int ENCODED_LENGTH = 24;

    /**
     * Writes the handle in native byte order.
     *
     * @param buffer to write into.
     * @param offset at which to write {@link #ENCODED_LENGTH} bytes.
     * @return {@link #ENCODED_LENGTH}.
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putInt(offset, nodeId);
        buffer.putInt(offset + 4, regionId);
        buffer.putLong(offset + 8, rkey);
        buffer.putLong(offset + 16, lengthBytes);
        return ENCODED_LENGTH;
    }

    /**
     * Reads a handle written by {@link #encode}.
     *
     * @param buffer to read.
     * @param offset of the first byte.
     * @return the handle.
     */
    public static RegionHandle decode(final DirectBuffer buffer, final int offset)
    {
        return new RegionHandle(
            buffer.getInt(offset), buffer.getInt(offset + 4), buffer.getLong(offset + 8), buffer.getLong(offset + 16));
    }
}
