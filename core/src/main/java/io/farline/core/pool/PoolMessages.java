package io.farline.core.pool;

import io.farline.transport.RegionHandle;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The pool's messages, carried by SEND between memory hosts, the controller and compute nodes. The sender's node id
 * travels with every message (the transport tags it), so it is not repeated inside. Native byte order; every message
 * starts with its type. Offsets in bytes:
 * <pre>
 *  HOST_ONLINE   host -> controller      0 type | 4 table region id | 8 table rkey (8) | 16 table length (8)
 *  ALLOCATE      compute -> controller   0 type | 4 chunk count | 8 request id (8) | 16 chunk size | 20 flags |
 *                                          24 excluded host count | 28 excluded host node ids, 4 bytes each
 *  GRANTED       controller -> compute   0 type | 4 grant count | 8 request id (8) | 16 grants, 32 bytes each:
 *                                          data region handle (24: node, region, rkey, length) | chunk index |
 *                                          chunk size
 *  REFUSED       controller -> compute   0 type | 4 reason length | 8 request id (8) | 16 reason, ASCII
 *  RELEASE       compute -> controller   0 type | 4 chunk count | 8 chunks, 8 bytes each: host node id | chunk index
 *  RECONCILE     compute -> controller   as RELEASE: every chunk the compute node holds; the controller frees the
 *                                          others lent to it (after a controller restart lost a reply)
 *  RECLAIM       host -> controller      0 type | 4 chunk count the host wants back
 *  EVACUATE      controller -> compute   0 type | 4 host node id | 8 chunk index
 *  PARK          compute -> controller   0 type | 4 chunk count | 8 request id (8) | 16 chunks, 8 bytes each: the
 *                                          chunks stay lent, to nobody, keeping their data for a later ADOPT
 *  PARKED        controller -> compute   0 type | 4 chunks parked | 8 request id (8)
 *  ADOPT         compute -> controller   as PARK: take parked chunks over; answered by GRANTED or REFUSED
 * </pre>
 * Decoders check the length they are given against what the header claims and throw
 * {@link IllegalArgumentException} naming the message and the lengths.
 */
public final class PoolMessages
{
    /** A host announces its chunk table. */
    public static final int HOST_ONLINE = 1;
    /** A compute node asks for chunks. */
    public static final int ALLOCATE = 2;
    /** The controller lends chunks. */
    public static final int GRANTED = 3;
    /** The controller cannot lend. */
    public static final int REFUSED = 4;
    /** A compute node gives chunks back. */
    public static final int RELEASE = 5;
    /** A compute node lists every chunk it holds. */
    public static final int RECONCILE = 6;
    /** A host asks for chunks back. */
    public static final int RECLAIM = 7;
    /** The controller asks a borrower to move its data off a chunk and release it. */
    public static final int EVACUATE = 8;
    /** A compute node keeps chunks lent, to nobody, so that another node may adopt them. */
    public static final int PARK = 9;
    /** The controller parked chunks. */
    public static final int PARKED = 10;
    /** A compute node takes parked chunks over. */
    public static final int ADOPT = 11;
    /** Offset of the first chunk of PARK and ADOPT. */
    public static final int REQUEST_CHUNKS_OFFSET = 16;

    /** Offset of the type. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the count (or region id, or reason length, or host id) after the type. */
    public static final int COUNT_OFFSET = 4;
    /** Offset of the request id (or rkey, or chunk index). */
    public static final int LONG_OFFSET = 8;
    /** Offset of the third field of HOST_ONLINE. */
    public static final int LENGTH_OFFSET = 16;
    /** Offset of a GRANTED's first grant, or a REFUSED's reason. */
    public static final int BODY_OFFSET = 16;
    /** Offset of the first chunk of RELEASE and RECONCILE. */
    public static final int CHUNKS_OFFSET = 8;
    /** Length of one grant. */
    public static final int GRANT_LENGTH = RegionHandle.ENCODED_LENGTH + 8;
    /** Offset of ALLOCATE's flags. */
    public static final int ALLOCATE_FLAGS_OFFSET = 20;
    /** Offset of ALLOCATE's excluded host count; the host ids follow. */
    public static final int ALLOCATE_EXCLUDED_OFFSET = 24;
    /** ALLOCATE flag: every chunk on a different host (the chunks of a parity stripe). */
    public static final int ALLOCATE_DISTINCT_HOSTS = 1;
    /** Length of one chunk reference. */
    public static final int CHUNK_REF_LENGTH = 8;

    private PoolMessages()
    {
    }

    /**
     * @param buffer to read.
     * @param offset of the message.
     * @param length of the message.
     * @return its type.
     * @throws IllegalArgumentException if the message is too short to have one.
     */
    public static int type(final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength("message", length, 4);
        return buffer.getInt(offset + TYPE_OFFSET);
    }

    /**
     * @return length written.
     */
    static int encodeHostOnline(final MutableDirectBuffer buffer, final RegionHandle table)
    {
        buffer.putInt(TYPE_OFFSET, HOST_ONLINE);
        buffer.putInt(COUNT_OFFSET, table.regionId());
        buffer.putLong(LONG_OFFSET, table.rkey());
        buffer.putLong(LENGTH_OFFSET, table.lengthBytes());
        return LENGTH_OFFSET + 8;
    }

    static RegionHandle decodeHostOnline(final int hostNodeId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        checkLength("HOST_ONLINE", length, LENGTH_OFFSET + 8);
        return new RegionHandle(hostNodeId, buffer.getInt(offset + COUNT_OFFSET),
            buffer.getLong(offset + LONG_OFFSET), buffer.getLong(offset + LENGTH_OFFSET));
    }

    static int encodeAllocate(final MutableDirectBuffer buffer, final long requestId, final int chunkCount,
        final int chunkSizeBytes, final int flags, final int[] excludedHosts)
    {
        buffer.putInt(TYPE_OFFSET, ALLOCATE);
        buffer.putInt(COUNT_OFFSET, chunkCount);
        buffer.putLong(LONG_OFFSET, requestId);
        buffer.putInt(LENGTH_OFFSET, chunkSizeBytes);
        buffer.putInt(ALLOCATE_FLAGS_OFFSET, flags);
        buffer.putInt(ALLOCATE_EXCLUDED_OFFSET, excludedHosts.length);
        for (int i = 0; i < excludedHosts.length; i++)
        {
            buffer.putInt(ALLOCATE_EXCLUDED_OFFSET + 4 + i * 4, excludedHosts[i]);
        }
        return ALLOCATE_EXCLUDED_OFFSET + 4 + excludedHosts.length * 4;
    }

    /**
     * @return the host node ids an ALLOCATE excludes.
     * @throws IllegalArgumentException if the message is shorter than its header says.
     */
    static int[] decodeAllocateExcluded(final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength("ALLOCATE", length, ALLOCATE_EXCLUDED_OFFSET + 4);
        final int count = buffer.getInt(offset + ALLOCATE_EXCLUDED_OFFSET);
        if (count < 0)
        {
            throw new IllegalArgumentException("ALLOCATE with a negative excluded host count " + count);
        }
        checkLength("ALLOCATE", length, ALLOCATE_EXCLUDED_OFFSET + 4 + (long)count * 4);
        final int[] hosts = new int[count];
        for (int i = 0; i < count; i++)
        {
            hosts[i] = buffer.getInt(offset + ALLOCATE_EXCLUDED_OFFSET + 4 + i * 4);
        }
        return hosts;
    }

    static int encodeReclaim(final MutableDirectBuffer buffer, final int chunkCount)
    {
        buffer.putInt(TYPE_OFFSET, RECLAIM);
        buffer.putInt(COUNT_OFFSET, chunkCount);
        return COUNT_OFFSET + 4;
    }

    static int encodeEvacuate(final MutableDirectBuffer buffer, final int hostNodeId, final int chunkIndex)
    {
        buffer.putInt(TYPE_OFFSET, EVACUATE);
        buffer.putInt(COUNT_OFFSET, hostNodeId);
        buffer.putLong(LONG_OFFSET, chunkIndex);
        return LONG_OFFSET + 8;
    }

    static int encodeRefused(final MutableDirectBuffer buffer, final long requestId, final String reason)
    {
        final int written = buffer.putStringWithoutLengthAscii(BODY_OFFSET, reason);
        buffer.putInt(TYPE_OFFSET, REFUSED);
        buffer.putInt(COUNT_OFFSET, written);
        buffer.putLong(LONG_OFFSET, requestId);
        return BODY_OFFSET + written;
    }

    static String decodeRefusedReason(final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength("REFUSED", length, BODY_OFFSET);
        final int reasonLength = buffer.getInt(offset + COUNT_OFFSET);
        checkLength("REFUSED", length, BODY_OFFSET + (long)Math.max(0, reasonLength));
        return buffer.getStringWithoutLengthAscii(offset + BODY_OFFSET, reasonLength);
    }

    static int encodeGrantedHeader(final MutableDirectBuffer buffer, final long requestId, final int grantCount)
    {
        buffer.putInt(TYPE_OFFSET, GRANTED);
        buffer.putInt(COUNT_OFFSET, grantCount);
        buffer.putLong(LONG_OFFSET, requestId);
        return BODY_OFFSET + grantCount * GRANT_LENGTH;
    }

    static void encodeGrant(final MutableDirectBuffer buffer, final int index, final Chunk chunk)
    {
        final int at = BODY_OFFSET + index * GRANT_LENGTH;
        chunk.dataRegion().encode(buffer, at);
        buffer.putInt(at + RegionHandle.ENCODED_LENGTH, chunk.chunkIndex());
        buffer.putInt(at + RegionHandle.ENCODED_LENGTH + 4, chunk.chunkSizeBytes());
    }

    static int grantCount(final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength("GRANTED", length, BODY_OFFSET);
        final int count = buffer.getInt(offset + COUNT_OFFSET);
        if (count < 0)
        {
            throw new IllegalArgumentException("GRANTED with a negative grant count " + count);
        }
        checkLength("GRANTED", length, BODY_OFFSET + (long)count * GRANT_LENGTH);
        return count;
    }

    static Chunk decodeGrant(final DirectBuffer buffer, final int offset, final int index)
    {
        final int at = offset + BODY_OFFSET + index * GRANT_LENGTH;
        return new Chunk(RegionHandle.decode(buffer, at), buffer.getInt(at + RegionHandle.ENCODED_LENGTH),
            buffer.getInt(at + RegionHandle.ENCODED_LENGTH + 4));
    }

    static int encodeChunkRefs(final MutableDirectBuffer buffer, final int type, final Iterable<Chunk> chunks)
    {
        int count = 0;
        for (final Chunk chunk : chunks)
        {
            final int at = CHUNKS_OFFSET + count * CHUNK_REF_LENGTH;
            buffer.putInt(at, chunk.hostNodeId());
            buffer.putInt(at + 4, chunk.chunkIndex());
            count++;
        }
        buffer.putInt(TYPE_OFFSET, type);
        buffer.putInt(COUNT_OFFSET, count);
        return CHUNKS_OFFSET + count * CHUNK_REF_LENGTH;
    }

    static int encodeRequestChunkRefs(final MutableDirectBuffer buffer, final int type, final long requestId,
        final Iterable<Chunk> chunks)
    {
        int count = 0;
        for (final Chunk chunk : chunks)
        {
            final int at = REQUEST_CHUNKS_OFFSET + count * CHUNK_REF_LENGTH;
            buffer.putInt(at, chunk.hostNodeId());
            buffer.putInt(at + 4, chunk.chunkIndex());
            count++;
        }
        buffer.putInt(TYPE_OFFSET, type);
        buffer.putInt(COUNT_OFFSET, count);
        buffer.putLong(LONG_OFFSET, requestId);
        return REQUEST_CHUNKS_OFFSET + count * CHUNK_REF_LENGTH;
    }

    static int requestChunkRefCount(final String name, final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(name, length, REQUEST_CHUNKS_OFFSET);
        final int count = buffer.getInt(offset + COUNT_OFFSET);
        if (count < 0)
        {
            throw new IllegalArgumentException(name + " with a negative chunk count " + count);
        }
        checkLength(name, length, REQUEST_CHUNKS_OFFSET + (long)count * CHUNK_REF_LENGTH);
        return count;
    }

    static int encodeParked(final MutableDirectBuffer buffer, final long requestId, final int parked)
    {
        buffer.putInt(TYPE_OFFSET, PARKED);
        buffer.putInt(COUNT_OFFSET, parked);
        buffer.putLong(LONG_OFFSET, requestId);
        return LONG_OFFSET + 8;
    }

    static int chunkRefCount(final String name, final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(name, length, CHUNKS_OFFSET);
        final int count = buffer.getInt(offset + COUNT_OFFSET);
        if (count < 0)
        {
            throw new IllegalArgumentException(name + " with a negative chunk count " + count);
        }
        checkLength(name, length, CHUNKS_OFFSET + (long)count * CHUNK_REF_LENGTH);
        return count;
    }

    static int chunkRefHost(final DirectBuffer buffer, final int offset, final int index)
    {
        return buffer.getInt(offset + CHUNKS_OFFSET + index * CHUNK_REF_LENGTH);
    }

    static int chunkRefIndex(final DirectBuffer buffer, final int offset, final int index)
    {
        return buffer.getInt(offset + CHUNKS_OFFSET + index * CHUNK_REF_LENGTH + 4);
    }

    static void checkLength(final String name, final long length, final long required)
    {
        if (length < required)
        {
            throw new IllegalArgumentException(name + " message of " + length + " bytes is shorter than the " +
                required + " bytes it needs");
        }
    }
}
