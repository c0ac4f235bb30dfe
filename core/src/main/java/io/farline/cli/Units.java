package io.farline.cli;

import org.agrona.SystemUtil;

import java.util.Locale;

/**
 * Human-readable sizes and rates for command-line output.
 */
public final class Units
{
    private static final String[] BYTE_UNITS = { "B", "KiB", "MiB", "GiB", "TiB" };

    private Units()
    {
    }

    /**
     * @param bytes a size.
     * @return e.g. "512 B", "1.5 MiB".
     */
    public static String bytes(final long bytes)
    {
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format("%.1f %s", value, BYTE_UNITS[unit]);
    }

    /**
     * Parses a size such as {@code 64MiB}, {@code 64m}, {@code 1GiB}, {@code 4096} (bytes).
     *
     * @param text   the size.
     * @param option the option it was given to, for the message.
     * @return bytes.
     * @throws UsageException naming the option and the accepted forms.
     */
    public static long parseBytes(final String text, final String option)
    {
        // Agrona's parseSize reads 4096, 64k, 64m, 1g; accept the B / iB spellings too (64MiB, 64MB).
        final String trimmed = text.trim();
        final String lower = trimmed.toLowerCase(Locale.ROOT);
        final int unitEnd = lower.endsWith("ib") ? 2 : lower.endsWith("b") ? 1 : 0;
        try
        {
            final long bytes = SystemUtil.parseSize(option, trimmed.substring(0, trimmed.length() - unitEnd));
            if (bytes < 0)
            {
                throw new NumberFormatException("negative");
            }
            return bytes;
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(option + " '" + text + "' is not a size: use e.g. 4096, 64KiB, 64MiB or 1GiB");
        }
    }

    /**
     * @param count  events.
     * @param nanos  time they took.
     * @return e.g. "12.3 M/s".
     */
    public static String rate(final long count, final long nanos)
    {
        final double perSecond = nanos <= 0 ? 0 : count * 1e9 / nanos;
        if (perSecond >= 1e6)
        {
            return String.format("%.1f M/s", perSecond / 1e6);
        }
        if (perSecond >= 1e3)
        {
            return String.format("%.1f k/s", perSecond / 1e3);
        }
        return String.format("%.0f /s", perSecond);
    }

    /**
     * @param nanos a duration.
     * @return e.g. "1.23 s", "45.6 ms".
     */
    public static String duration(final long nanos)
    {
        if (nanos >= 1_000_000_000L)
        {
            return String.format("%.2f s", nanos / 1e9);
        }
        return String.format("%.1f ms", nanos / 1e6);
    }
}
