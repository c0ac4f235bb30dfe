package io.farline.property.transport;

import io.farline.transport.CompletionStatus;
import io.farline.transport.Verb;
import io.farline.transport.VerbCounters;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * The truth the verbs property checks against: one byte array per registered region, what each request should
 * complete with, and how the issuer's per-verb counters should read. Deliberately naive: a bounds check written
 * without arithmetic that can overflow, and words read and written through a native-order view of the array.
 */
final class VerbModel
{
    private final List<RegionSpec> specs;
    private final byte[][] memory;
    private final long[][] counters = new long[Verb.count()][VerbCounters.ERRORS + 1];

    VerbModel(final List<RegionSpec> specs)
    {
        this.specs = specs;
        this.memory = new byte[specs.size()][];
        for (int i = 0; i < specs.size(); i++)
        {
            memory[i] = new byte[specs.get(i).lengthBytes()];
        }
    }

    /**
     * The status an RDMA NIC gives, checking in the documented order: key, access, then bounds and alignment.
     */
    int status(final int region, final Verb verb, final long offset, final long length, final boolean wrongKey)
    {
        final RegionSpec spec = specs.get(region);
        if (wrongKey || !spec.allows(verb.requiredAccess()))
        {
            return CompletionStatus.REMOTE_ACCESS_ERROR;
        }
        final boolean inRange = offset >= 0 && length >= 0 && offset <= spec.lengthBytes() &&
            length <= spec.lengthBytes() - offset;
        final boolean atomic = verb == Verb.COMPARE_AND_SWAP || verb == Verb.FETCH_AND_ADD;
        if (!inRange || (atomic && offset % Long.BYTES != 0))
        {
            return CompletionStatus.REMOTE_INVALID_REQUEST;
        }
        return CompletionStatus.SUCCESS;
    }

    /**
     * A word of the message a blocking call's VerbException must contain for a status.
     */
    String[] reasonWords(final int region, final Verb verb, final long offset, final long length,
        final boolean wrongKey)
    {
        if (wrongKey)
        {
            return new String[]{ "rkey" };
        }
        if (!specs.get(region).allows(verb.requiredAccess()))
        {
            return new String[]{ "needs" };
        }
        return new String[]{ "outside the region", "not 8-byte aligned" };
    }

    byte[] read(final int region, final long offset, final int length)
    {
        return Arrays.copyOfRange(memory[region], (int)offset, (int)offset + length);
    }

    void write(final int region, final long offset, final byte[] data)
    {
        System.arraycopy(data, 0, memory[region], (int)offset, data.length);
    }

    long word(final int region, final long offset)
    {
        return view(region).getLong((int)offset);
    }

    void putWord(final int region, final long offset, final long value)
    {
        view(region).putLong((int)offset, value);
    }

    byte[] memory(final int region)
    {
        return memory[region];
    }

    /**
     * Counts a request that reached the NIC's checks: successes by operations and bytes, failures as errors.
     */
    void count(final Verb verb, final int status, final long bytes)
    {
        if (status == CompletionStatus.SUCCESS)
        {
            counters[verb.ordinal()][VerbCounters.OPS]++;
            counters[verb.ordinal()][VerbCounters.BYTES] += bytes;
        }
        else
        {
            counters[verb.ordinal()][VerbCounters.ERRORS]++;
        }
    }

    /**
     * @return expected issuer totals, indexed [verb][OPS, BYTES, ERRORS] as VerbCounters.totals returns them.
     */
    long[][] counters()
    {
        return counters;
    }

    private ByteBuffer view(final int region)
    {
        return ByteBuffer.wrap(memory[region]).order(ByteOrder.nativeOrder());
    }
}
