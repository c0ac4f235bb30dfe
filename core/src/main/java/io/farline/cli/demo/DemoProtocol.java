package io.farline.cli.demo;

import io.farline.transport.Node;
import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * Messages between the demo's coordinator and its peers, sent with SEND. Each message starts with an int type.
 * <pre>
 * peer -> coordinator  HELLO        region handle of the peer's region
 * coordinator -> peer  ATOMICS      coordinator's region handle, count: fetch-and-add and CAS-increment that often
 * peer -> coordinator  ATOMICS_DONE
 * coordinator -> peer  STREAM       sequence number (the peer checks they arrive complete and in order)
 * coordinator -> peer  STREAM_END   count sent
 * peer -> coordinator  STREAM_OK    count received in order
 * coordinator -> peer  CHECK        seed of the pattern the coordinator wrote into the peer's region by WRITE
 * peer -> coordinator  CHECK_OK     1 if the peer's own CPU sees the pattern, else 0
 * coordinator -> peer  BYE
 * </pre>
 */
final class DemoProtocol
{
    static final int HELLO = 1;
    static final int ATOMICS = 2;
    static final int ATOMICS_DONE = 3;
    static final int STREAM = 4;
    static final int STREAM_END = 5;
    static final int STREAM_OK = 6;
    static final int CHECK = 7;
    static final int CHECK_OK = 8;
    static final int BYE = 9;

    /** Bytes of the peer region the coordinator writes a pattern into. */
    static final int PATTERN_LENGTH = 1 << 20;
    /** Length of each peer's region. */
    static final int PEER_REGION_LENGTH = 2 * PATTERN_LENGTH;
    /** Offset of the fetch-and-add word in the coordinator's region. */
    static final int FETCH_ADD_OFFSET = 0;
    /** Offset of the CAS-incremented word, on its own cache lines. */
    static final int CAS_OFFSET = 128;

    private DemoProtocol()
    {
    }

    static UnsafeBuffer newMessageBuffer()
    {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(256));
    }

    static int encode(final MutableDirectBuffer buffer, final int type, final long value)
    {
        buffer.putInt(0, type);
        buffer.putLong(4, value);
        return 12;
    }

    static int encode(final MutableDirectBuffer buffer, final int type, final RegionHandle handle, final long value)
    {
        buffer.putInt(0, type);
        handle.encode(buffer, 4);
        buffer.putLong(4 + RegionHandle.ENCODED_LENGTH, value);
        return 4 + RegionHandle.ENCODED_LENGTH + 8;
    }

    /**
     * The byte at {@code index} of the pattern for a seed: cheap, position dependent, different per peer.
     */
    static byte patternByte(final long seed, final int index)
    {
        final long x = (index + seed) * 0x9E3779B97F4A7C15L;
        return (byte)(x >>> 56);
    }

    /**
     * Sends, retrying while the lane to the peer pushes back.
     *
     * @throws IllegalStateException if the peer is dead.
     */
    static void sendReliably(final QueuePair qp, final MutableDirectBuffer buffer, final int length, final Node self)
    {
        int result;
        while ((result = qp.send(buffer, 0, length)) == QueuePair.BACK_PRESSURED)
        {
            LockSupport.parkNanos(10_000);
        }
        if (result != QueuePair.OK)
        {
            throw new IllegalStateException("node " + self.nodeId() + " could not send to node " + qp.peerNodeId() +
                ": " + (result == QueuePair.PEER_DEAD ? "peer dead" : "code " + result));
        }
    }
}
