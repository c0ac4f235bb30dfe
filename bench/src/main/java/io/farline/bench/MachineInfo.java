package io.farline.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/**
 * The hardware a run was measured on, for the results file (STYLE 41): CPUs available to this JVM (what
 * {@code nproc} counts), the CPU model from {@code /proc/cpuinfo}, the memory from {@code /proc/meminfo}, and the OS.
 */
final class MachineInfo
{
    private static final double KIB_PER_GIB = 1024.0 * 1024.0;

    private MachineInfo()
    {
    }

    static String describe()
    {
        final int cpus = Runtime.getRuntime().availableProcessors();
        String model = field(Paths.get("/proc/cpuinfo"), "model name");
        if (null == model)
        {
            model = field(Paths.get("/proc/cpuinfo"), "Hardware");
        }
        final String memory = field(Paths.get("/proc/meminfo"), "MemTotal");
        return cpus + " CPUs (nproc), " + (null == model ? "unknown CPU model" : model) + ", " +
            memory(memory) + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
            System.getProperty("os.arch");
    }

    private static String memory(final String memTotal)
    {
        if (null != memTotal)
        {
            final String[] parts = memTotal.trim().split("\\s+");
            try
            {
                if (parts.length == 2 && "kB".equals(parts[1]))
                {
                    return String.format(Locale.ROOT, "%.1f GiB RAM", Long.parseLong(parts[0]) / KIB_PER_GIB);
                }
            }
            catch (final NumberFormatException ignore)
            {
                // Fall through to the raw text.
            }
            return memTotal.trim() + " RAM";
        }
        return "unknown RAM";
    }

    /**
     * @return the value of the first {@code name : value} line of the file, or null.
     */
    private static String field(final Path file, final String name)
    {
        try
        {
            final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (final String line : lines)
            {
                final int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(name))
                {
                    return line.substring(colon + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // Not Linux, or not readable: the caller says "unknown".
        }
        return null;
    }
}
