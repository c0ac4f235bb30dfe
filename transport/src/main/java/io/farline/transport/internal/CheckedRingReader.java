package io.farline.transport.internal;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import static org.agrona.concurrent.ringbuffer.RecordDescriptor.ALIGNMENT;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.HEADER_LENGTH;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.lengthOffset;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.typeOffset;

/**
 * The consumer side of an Agrona ring buffer (one-to-one or many-to-one, Agrona 2.x record format: length, type id,
 * body, records 8-byte aligned, padding of type -1) for a ring that another process writes. Agrona's own reader
 * trusts what it finds: a corrupt record length reaches the handler as, say, two gigabytes at the end of a one-megabyte
 * mapping, or wraps the reader's arithmetic negative, and with bounds checks off either becomes a read outside the
 * mapping. This reader checks every record before using it: the head position is aligned, the length covers at least
 * the record header and fits before the ring's end, the body is no longer than the largest message, and, if one is
 * expected, the type id is it. The first record that fails stops the reader for good, unconsumed, with a reason
 * ({@link #corruption()}); every later read returns 0. It costs a few compares per record over Agrona's loop.
 * <p>
 * Memory ordering is Agrona's: the record length is loaded with acquire semantics (the producer stores it last with
 * release), the head position is stored with release semantics. One consumer thread.
 */
public final class CheckedRingReader
{
    /** For {@code expectedTypeId}: any positive type id is accepted. */
    public static final int ANY_TYPE_ID = 0;

    private final AtomicBuffer buffer;
    private final int capacity;
    private final int headPositionIndex;
    private final int maxMessageLength;
    private final int expectedTypeId;
    private final int minTypeId;
    private final int maxTypeId;
    private final boolean zeroConsumed;
    private final String name;
    private String corruption;

    /**
     * @param buffer           the ring: capacity (a power of two) plus Agrona's trailer.
     * @param maxMessageLength longest body accepted.
     * @param expectedTypeId   the only type id accepted besides padding, or {@link #ANY_TYPE_ID}.
     * @param zeroConsumed     true for a many-to-one ring, whose producers expect the consumer to zero what it read;
     *                         false for a one-to-one ring, whose producer zeroes the next record header itself.
     * @param name             what the ring is, for the reason given on corruption.
     */
    public CheckedRingReader(final AtomicBuffer buffer, final int maxMessageLength, final int expectedTypeId,
        final boolean zeroConsumed, final String name)
    {
        this.buffer = buffer;
        this.capacity = buffer.capacity() - RingBufferDescriptor.TRAILER_LENGTH;
        if (!BitUtil.isPowerOfTwo(capacity))
        {
            throw new IllegalArgumentException(name + ": ring capacity " + capacity + " is not a power of two");
        }
        this.headPositionIndex = capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET;
        this.maxMessageLength = maxMessageLength;
        this.expectedTypeId = expectedTypeId;
        this.minTypeId = ANY_TYPE_ID == expectedTypeId ? 1 : expectedTypeId;
        this.maxTypeId = ANY_TYPE_ID == expectedTypeId ? Integer.MAX_VALUE : expectedTypeId;
        this.zeroConsumed = zeroConsumed;
        this.name = name;
    }

    /**
     * Hands up to {@code limit} checked messages to the handler, in ring order. A handler that throws leaves the
     * messages before it, and its own, consumed.
     *
     * @param handler receives (type id, buffer, offset of the body, length of the body).
     * @param limit   most messages to hand over.
     * @return messages handed over.
     */
    public int read(final MessageHandler handler, final int limit)
    {
        if (null != corruption)
        {
            return 0;
        }
        final AtomicBuffer buffer = this.buffer;
        final long head = buffer.getLong(headPositionIndex); // this consumer is the only writer of the head
        if ((head & (ALIGNMENT - 1)) != 0)
        {
            corruption = name + ": head position " + head + " is not " + ALIGNMENT + "-byte aligned";
            return 0;
        }
        final int headIndex = (int)head & (capacity - 1);
        final int contiguous = capacity - headIndex;
        int bytesRead = 0;
        int messages = 0;
        try
        {
            while (bytesRead < contiguous && messages < limit)
            {
                final int recordIndex = headIndex + bytesRead;
                final int recordLength = buffer.getIntVolatile(lengthOffset(recordIndex));
                if (recordLength <= 0)
                {
                    break; // nothing committed here yet
                }
                final int typeId = buffer.getInt(typeOffset(recordIndex));
                final boolean padding = RingBuffer.PADDING_MSG_TYPE_ID == typeId;
                if (recordLength < HEADER_LENGTH || recordLength > contiguous - bytesRead ||
                    !padding && (recordLength - HEADER_LENGTH > maxMessageLength || typeId < minTypeId ||
                    typeId > maxTypeId))
                {
                    corrupt(recordIndex, recordLength, typeId, contiguous - bytesRead);
                    break;
                }
                // The record fits before the end of a ring whose capacity is a multiple of the alignment: so does
                // its aligned length.
                bytesRead += BitUtil.align(recordLength, ALIGNMENT);
                if (!padding)
                {
                    messages++;
                    handler.onMessage(typeId, buffer, recordIndex + HEADER_LENGTH, recordLength - HEADER_LENGTH);
                }
            }
        }
        finally
        {
            if (bytesRead > 0)
            {
                if (zeroConsumed)
                {
                    buffer.setMemory(headIndex, bytesRead, (byte)0);
                }
                buffer.putLongRelease(headPositionIndex, head + bytesRead);
            }
        }
        return messages;
    }

    private void corrupt(final int recordIndex, final int recordLength, final int typeId, final int toRingEnd)
    {
        corruption = name + ": corrupt record at ring offset " + recordIndex + ": length " + recordLength +
            " (a header of " + HEADER_LENGTH + " bytes, a body of at most " + maxMessageLength + ", and within the " +
            toRingEnd + " bytes before the ring's end), type id " + typeId +
            (ANY_TYPE_ID != expectedTypeId ? " (expected " + expectedTypeId + ")" : "");
    }

    /**
     * @return true once a record failed a check.
     */
    public boolean isCorrupt()
    {
        return null != corruption;
    }

    /**
     * @return what was wrong with the first bad record, or null.
     */
    public String corruption()
    {
        return corruption;
    }
}
