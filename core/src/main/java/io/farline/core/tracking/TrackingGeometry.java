package io.farline.core.tracking;

import org.agrona.BitUtil;

/**
 * The shape of a tracked region: its length, its page size and its tracking unit.
 * <p>
 * The tracking unit is the granularity of the dirty bitmap, one bit per unit, and is a setting independent of the
 * page size (seed 003, "decoupling metadata granularity from page size"): any power of two from one 64-byte cache
 * line up to the page. With 4 KiB pages and 64-byte units, one 64-bit bitmap word covers one page. Immutable and
 * thread-safe.
 */
public final class TrackingGeometry
{
    /** The default page size: 4 KiB. */
    public static final int DEFAULT_PAGE_SIZE_BYTES = 4096;
    /** The smallest tracking unit, and the default: one 64-byte cache line. */
    public static final int LINE_SIZE_BYTES = 64;
    /** The largest page size accepted: 1 GiB, so that a page index and a unit index fit an {@code int}. */
    public static final int MAX_PAGE_SIZE_BYTES = 1 << 30;

    private final int lengthBytes;
    private final int pageSizeBytes;
    private final int unitSizeBytes;
    private final int pageShift;
    private final int unitShift;

    private TrackingGeometry(final int lengthBytes, final int pageSizeBytes, final int unitSizeBytes)
    {
        this.lengthBytes = lengthBytes;
        this.pageSizeBytes = pageSizeBytes;
        this.unitSizeBytes = unitSizeBytes;
        this.pageShift = Integer.numberOfTrailingZeros(pageSizeBytes);
        this.unitShift = Integer.numberOfTrailingZeros(unitSizeBytes);
    }

    /**
     * A geometry with 4 KiB pages and 64-byte units.
     *
     * @param lengthBytes length of the tracked memory, a positive multiple of 4 KiB.
     * @return the geometry.
     * @throws IllegalArgumentException if the length is not a positive multiple of the page size.
     */
    public static TrackingGeometry of(final long lengthBytes)
    {
        return of(lengthBytes, DEFAULT_PAGE_SIZE_BYTES, LINE_SIZE_BYTES);
    }

    /**
     * @param lengthBytes   length of the tracked memory, a positive multiple of the page size, at most
     *                      {@link Integer#MAX_VALUE} rounded down to a page.
     * @param pageSizeBytes a power of two from 64 bytes to {@link #MAX_PAGE_SIZE_BYTES}.
     * @param unitSizeBytes the tracking unit, a power of two from {@link #LINE_SIZE_BYTES} up to the page size.
     * @return the geometry.
     * @throws IllegalArgumentException naming the value that is wrong and why.
     */
    public static TrackingGeometry of(final long lengthBytes, final int pageSizeBytes, final int unitSizeBytes)
    {
        final String problem = check(lengthBytes, pageSizeBytes, unitSizeBytes);
        if (null != problem)
        {
            throw new IllegalArgumentException(problem);
        }
        return new TrackingGeometry((int)lengthBytes, pageSizeBytes, unitSizeBytes);
    }

    /**
     * Checks a geometry given in configuration or read from a file.
     *
     * @param lengthBytes   length of the tracked memory.
     * @param pageSizeBytes page size.
     * @param unitSizeBytes tracking unit.
     * @return null if valid, else what is wrong.
     */
    public static String check(final long lengthBytes, final int pageSizeBytes, final int unitSizeBytes)
    {
        if (!BitUtil.isPowerOfTwo(pageSizeBytes) || pageSizeBytes < LINE_SIZE_BYTES ||
            pageSizeBytes > MAX_PAGE_SIZE_BYTES)
        {
            return "page size " + pageSizeBytes + " must be a power of two from " + LINE_SIZE_BYTES + " to " +
                MAX_PAGE_SIZE_BYTES;
        }
        if (!BitUtil.isPowerOfTwo(unitSizeBytes))
        {
            return "tracking unit " + unitSizeBytes + " must be a power of two";
        }
        if (unitSizeBytes < LINE_SIZE_BYTES || unitSizeBytes > pageSizeBytes)
        {
            return "tracking unit " + unitSizeBytes + " must be from one cache line (" + LINE_SIZE_BYTES +
                ") up to the page size (" + pageSizeBytes + ")";
        }
        if (lengthBytes <= 0 || lengthBytes > Integer.MAX_VALUE || (lengthBytes & (pageSizeBytes - 1)) != 0)
        {
            return "length " + lengthBytes + " must be a positive multiple of the page size " + pageSizeBytes +
                ", at most " + Integer.MAX_VALUE;
        }
        return null;
    }

    /**
     * @return length of the tracked memory in bytes.
     */
    public int lengthBytes()
    {
        return lengthBytes;
    }

    /**
     * @return page size in bytes.
     */
    public int pageSizeBytes()
    {
        return pageSizeBytes;
    }

    /**
     * @return tracking unit in bytes.
     */
    public int unitSizeBytes()
    {
        return unitSizeBytes;
    }

    /**
     * @return log2 of the page size.
     */
    public int pageShift()
    {
        return pageShift;
    }

    /**
     * @return log2 of the tracking unit.
     */
    public int unitShift()
    {
        return unitShift;
    }

    /**
     * @return number of pages.
     */
    public int pageCount()
    {
        return lengthBytes >>> pageShift;
    }

    /**
     * @return number of tracking units, one bitmap bit each.
     */
    public int unitCount()
    {
        return lengthBytes >>> unitShift;
    }

    /**
     * @return number of tracking units in one page.
     */
    public int unitsPerPage()
    {
        return pageSizeBytes >>> unitShift;
    }

    /**
     * @return number of 64-bit bitmap words: the unit count rounded up to a multiple of 64, divided by 64.
     */
    public int bitmapWordCount()
    {
        return (unitCount() + Long.SIZE - 1) >>> 6;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof TrackingGeometry))
        {
            return false;
        }
        final TrackingGeometry that = (TrackingGeometry)o;
        return lengthBytes == that.lengthBytes && pageSizeBytes == that.pageSizeBytes &&
            unitSizeBytes == that.unitSizeBytes;
    }

    @Override
    public int hashCode()
    {
        return (lengthBytes * 31 + pageSizeBytes) * 31 + unitSizeBytes;
    }

    @Override
    public String toString()
    {
        return "TrackingGeometry{length=" + lengthBytes + ", page=" + pageSizeBytes + ", unit=" + unitSizeBytes + '}';
    }
}
