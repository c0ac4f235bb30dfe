package io.farline.property.transport;

import io.farline.transport.AccessFlags;

import java.util.List;

/**
 * A region the verbs property registers on the target node: its access flags and length. The table covers every
 * valid combination of remote access with LOCAL_WRITE, one region without LOCAL_WRITE, and lengths that are and are
 * not multiples of 8 (so atomics near the end are in, just in, and out of range).
 *
 * @param accessFlags see {@link AccessFlags}.
 * @param lengthBytes registered length.
 */
record RegionSpec(int accessFlags, int lengthBytes)
{
    static final List<RegionSpec> TABLE = List.of(
        new RegionSpec(AccessFlags.ALL, 4096),
        new RegionSpec(AccessFlags.LOCAL_WRITE | AccessFlags.REMOTE_READ, 1001),
        new RegionSpec(AccessFlags.LOCAL_WRITE | AccessFlags.REMOTE_WRITE, 64),
        new RegionSpec(AccessFlags.LOCAL_WRITE | AccessFlags.REMOTE_ATOMIC, 24),
        new RegionSpec(AccessFlags.LOCAL_WRITE | AccessFlags.REMOTE_READ | AccessFlags.REMOTE_WRITE, 100),
        new RegionSpec(AccessFlags.LOCAL_WRITE | AccessFlags.REMOTE_READ | AccessFlags.REMOTE_ATOMIC, 8),
        new RegionSpec(AccessFlags.LOCAL_WRITE | AccessFlags.REMOTE_WRITE | AccessFlags.REMOTE_ATOMIC, 520),
        new RegionSpec(AccessFlags.LOCAL_WRITE, 16),
        new RegionSpec(AccessFlags.REMOTE_READ, 512));

    static RegionSpec of(final int index)
    {
        return TABLE.get(index);
    }

    static String describe(final int index)
    {
        final RegionSpec spec = of(index);
        return "region#" + index + "(" + AccessFlags.toString(spec.accessFlags) + ", " + spec.lengthBytes + " B)";
    }

    boolean allows(final int flag)
    {
        return (accessFlags & flag) != 0;
    }
}
