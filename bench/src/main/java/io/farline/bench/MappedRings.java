package io.farline.bench;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * Raw Agrona ring buffers laid out back to back in one mapped file, for the baselines: the same kind of memory (a
 * shared file in the trial directory, usually tmpfs) as a Farline node's inbox. Mappings are released by the GC, as
 * in the transport (see {@code SharedFiles}).
 */
final class MappedRings
{
    private MappedRings()
    {
    }

    /**
     * @param capacityBytes ring capacity, a power of two.
     * @return bytes one ring takes in the file, trailer included.
     */
    static int ringLengthBytes(final int capacityBytes)
    {
        return capacityBytes + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * Creates a zeroed file holding {@code count} rings and maps it.
     */
    static MappedByteBuffer create(final Path file, final int count, final int capacityBytes)
    {
        return IoUtil.mapNewFile(file.toFile(), (long)count * ringLengthBytes(capacityBytes));
    }

    /**
     * Maps a file made by {@link #create}.
     */
    static MappedByteBuffer attach(final Path file)
    {
        return IoUtil.mapExistingFile(file.toFile(), "benchmark rings");
    }

    /**
     * @return the buffer of ring {@code index} in the mapping.
     */
    static UnsafeBuffer ring(final MappedByteBuffer mapping, final int index, final int capacityBytes)
    {
        final int length = ringLengthBytes(capacityBytes);
        return new UnsafeBuffer(mapping, index * length, length);
    }
}
