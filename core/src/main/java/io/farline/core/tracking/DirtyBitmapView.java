package io.farline.core.tracking;

import org.agrona.DirectBuffer;
import org.agrona.SemanticVersion;

import static io.farline.core.tracking.DirtyBitmapDescriptor.*;

/**
 * A read-only view of a dirty bitmap that another process wrote, for instance a copy read from a peer's registered
 * memory with a one-sided READ. The header is checked once, when the view is made (magic, major version, geometry,
 * length); after that the view trusts it. It reads with plain loads: it is meant for a copy, or for memory no one
 * writes any more (a dead node's). Not thread-safe.
 */
public final class DirtyBitmapView
{
    private final DirectBuffer memory;
    private final TrackingGeometry geometry;

    private DirtyBitmapView(final DirectBuffer memory, final TrackingGeometry geometry)
    {
        this.memory = memory;
        this.geometry = geometry;
    }

    /**
     * Checks the header and makes a view.
     *
     * @param memory a bitmap's memory, header first.
     * @return the view.
     * @throws IllegalArgumentException naming what is wrong: short memory, unknown magic, unpublished or different
     *                                  major version, an impossible geometry, or fewer words than it needs.
     */
    public static DirtyBitmapView of(final DirectBuffer memory)
    {
        if (memory.capacity() < DIRTY_WORDS_OFFSET)
        {
            throw new IllegalArgumentException("dirty bitmap of " + memory.capacity() + " bytes is shorter than its " +
                DIRTY_WORDS_OFFSET + "-byte header");
        }
        final long magic = memory.getLong(DIRTY_MAGIC_OFFSET);
        if (DIRTY_MAGIC != magic)
        {
            throw new IllegalArgumentException("not a dirty bitmap: magic " + Long.toHexString(magic) + ", expected " +
                Long.toHexString(DIRTY_MAGIC));
        }
        final int version = memory.getInt(DIRTY_LAYOUT_VERSION_OFFSET);
        if (0 == version)
        {
            throw new IllegalArgumentException("dirty bitmap is not yet published (layout version 0)");
        }
        if (SemanticVersion.major(version) != DIRTY_MAJOR_VERSION)
        {
            throw new IllegalArgumentException("dirty bitmap layout version " + SemanticVersion.toString(version) +
                " has major " + SemanticVersion.major(version) + ", this code reads major " + DIRTY_MAJOR_VERSION);
        }
        final int pageSize = memory.getInt(DIRTY_PAGE_SIZE_OFFSET);
        final int unitSize = memory.getInt(DIRTY_UNIT_SIZE_OFFSET);
        final int length = memory.getInt(DIRTY_TRACKED_LENGTH_OFFSET);
        final String problem = TrackingGeometry.check(length, pageSize, unitSize);
        if (null != problem)
        {
            throw new IllegalArgumentException("dirty bitmap header: " + problem);
        }
        final TrackingGeometry geometry = TrackingGeometry.of(length, pageSize, unitSize);
        final int required = DirtyBitmapDescriptor.lengthBytes(geometry);
        if (memory.capacity() < required)
        {
            throw new IllegalArgumentException("dirty bitmap of " + memory.capacity() + " bytes is shorter than the " +
                required + " bytes its header's " + geometry + " needs");
        }
        return new DirtyBitmapView(memory, geometry);
    }

    /**
     * @return the geometry the header describes.
     */
    public TrackingGeometry geometry()
    {
        return geometry;
    }

    /**
     * @return the epoch recorded in the header.
     */
    public long epoch()
    {
        return memory.getLong(DIRTY_EPOCH_OFFSET);
    }

    /**
     * @param unitIndex a unit.
     * @return true if the unit's bit is set.
     * @throws IndexOutOfBoundsException if the unit is outside the geometry.
     */
    public boolean isUnitDirty(final int unitIndex)
    {
        if (unitIndex < 0 || unitIndex >= geometry.unitCount())
        {
            throw new IndexOutOfBoundsException("unit " + unitIndex + " is outside 0.." + (geometry.unitCount() - 1));
        }
        return (memory.getLong(wordOffset(unitIndex)) & (1L << unitIndex)) != 0;
    }

    /**
     * @param fromUnit the first unit to look at.
     * @return the first dirty unit at or after {@code fromUnit}, or -1 if none.
     */
    public int nextDirtyUnit(final int fromUnit)
    {
        final int unitCount = geometry.unitCount();
        int unit = Math.max(0, fromUnit);
        while (unit < unitCount)
        {
            final long bits = memory.getLong(wordOffset(unit)) & (-1L << unit);
            if (0 != bits)
            {
                final int found = ((unit >>> 6) << 6) + Long.numberOfTrailingZeros(bits);
                return found < unitCount ? found : -1;
            }
            unit = ((unit >>> 6) + 1) << 6;
        }
        return -1;
    }

    /**
     * @return the number of dirty units.
     */
    public int dirtyUnitCount()
    {
        int count = 0;
        for (int w = 0, words = geometry.bitmapWordCount(); w < words; w++)
        {
            count += Long.bitCount(memory.getLong(DIRTY_WORDS_OFFSET + (w << 3)));
        }
        return count;
    }
}
