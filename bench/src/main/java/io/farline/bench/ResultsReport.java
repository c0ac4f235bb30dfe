package io.farline.bench;

import io.farline.bench.SuiteMetrics.Measured;
import io.farline.bench.SuiteMetrics.Metric;
import io.farline.bench.SuiteMetrics.Pending;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Writes a suite's computed metrics: a table on standard output and {@code <suite>.json} in the results directory.
 * The JSON is written by hand (no dependency for it) and replaced atomically, through a {@code .tmp} file.
 */
final class ResultsReport
{
    private static final int VALUE_DECIMALS = 3;
    private static final MathContext RAW_PRECISION = new MathContext(6, RoundingMode.HALF_EVEN);
    private static final double MEGA = 1e6;
    private static final double KILO = 1e3;
    /** Integers below this are exact in a double, so a raw figure that is one is written in full. */
    private static final double MAX_EXACT_INTEGER = 0x1p53;

    private ResultsReport()
    {
    }

    /**
     * Prints one line per metric, then one per pending metric.
     */
    static void printTable(final PrintStream out, final String header, final List<Metric> metrics,
        final List<Pending> pending)
    {
        out.println();
        out.println(header);
        final String format = "%-32s %12s  %-7s %-5s %-16s %-16s %s%n";
        out.printf(Locale.ROOT, format, "metric", "value", "goal", "pass", "subject", "baseline", "forks");
        for (final Metric metric : metrics)
        {
            out.printf(Locale.ROOT, format, metric.spec().id(),
                Double.isNaN(metric.value()) ? "-" : value(metric),
                metric.spec().goal(),
                null != metric.error() ? "ERROR" : metric.pass() ? "yes" : "NO",
                human(metric.subject()),
                human(metric.baseline()),
                metric.subject().forks().length + "/" + metric.baseline().forks().length);
            if (null != metric.error())
            {
                out.println("    " + metric.error());
            }
        }
        for (final Pending metric : pending)
        {
            out.printf(Locale.ROOT, "%-32s %12s  not measured yet: %s (%s)%n", metric.id(), "-", metric.reason(),
                metric.what());
        }
        out.println();
    }

    /**
     * Writes {@code <suite>.json} into the directory, creating it if needed.
     *
     * @return the file written.
     */
    static Path writeJson(final Path directory, final String suite, final List<Metric> metrics)
    {
        final Path file = directory.resolve(suite + ".json");
        final Path temporary = directory.resolve(suite + ".json.tmp");
        try
        {
            Files.createDirectories(directory);
            Files.write(temporary, json(suite, metrics).getBytes(StandardCharsets.UTF_8));
            try
            {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }

    static String json(final String suite, final List<Metric> metrics)
    {
        final StringBuilder sb = new StringBuilder(4096);
        sb.append("{\n");
        sb.append("  \"suite\": ").append(string(suite)).append(",\n");
        sb.append("  \"date\": ").append(string(
            OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)))
            .append(",\n");
        sb.append("  \"jdk\": ").append(string(jdk())).append(",\n");
        sb.append("  \"machine\": ").append(string(MachineInfo.describe())).append(",\n");
        sb.append("  \"metrics\": [");
        for (int i = 0; i < metrics.size(); i++)
        {
            sb.append(i == 0 ? "\n" : ",\n").append("    ");
            metric(sb, metrics.get(i));
        }
        sb.append("\n  ]\n}\n");
        return sb.toString();
    }

    static String jdk()
    {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    /**
     * Where results go when no directory is given: the repository's {@code bench/results}, found from the working
     * directory (the repository root or {@code bench/}) or else from where this class was loaded
     * ({@code bench/target/benchmarks.jar} or {@code bench/target/classes}).
     */
    static Path defaultResultsDirectory()
    {
        final Path cwd = Paths.get("").toAbsolutePath();
        if (Files.isRegularFile(cwd.resolve("bench").resolve("pom.xml")))
        {
            return cwd.resolve("bench").resolve("results");
        }
        if (null != cwd.getFileName() && "bench".equals(cwd.getFileName().toString()) &&
            Files.isRegularFile(cwd.resolve("pom.xml")))
        {
            return cwd.resolve("results");
        }
        try
        {
            final Path loadedFrom = Paths.get(
                ResultsReport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            final Path target = loadedFrom.getParent();
            if (null != target && null != target.getParent() && "target".equals(target.getFileName().toString()) &&
                Files.isRegularFile(target.getParent().resolve("pom.xml")))
            {
                return target.getParent().resolve("results");
            }
        }
        catch (final URISyntaxException | RuntimeException ignore)
        {
            // No usable code source: fall through to the working directory.
        }
        return cwd.resolve("results");
    }

    private static void metric(final StringBuilder sb, final Metric metric)
    {
        final Measured subject = metric.subject();
        final Measured baseline = metric.baseline();
        sb.append("{\"id\": ").append(string(metric.spec().id()));
        sb.append(", \"value\": ").append(Double.isNaN(metric.value()) ? "null" : threeDecimals(metric.value()));
        sb.append(", \"unit\": ").append(string(metric.spec().unit()));
        sb.append(", \"goal\": ").append(string(metric.spec().goal()));
        sb.append(", \"pass\": ").append(metric.pass());
        sb.append(", \"baseline\": ").append(string(metric.spec().isAbsolute() ?
            "none: an absolute figure in " + metric.spec().unit() : describe(metric.spec().baseline().description(),
            baseline)));
        sb.append(", \"subject\": ").append(string(describe(metric.spec().subject().description(), subject)));
        sb.append(", \"subjectValue\": ").append(raw(subject.median()));
        sb.append(", \"baselineValue\": ").append(raw(baseline.median()));
        sb.append(", \"rawUnit\": ").append(string(rawUnit(subject.isMissing() ? baseline : subject)));
        sb.append(", \"subjectForks\": ");
        array(sb, subject.forks());
        sb.append(", \"baselineForks\": ");
        array(sb, baseline.forks());
        if (null != metric.error())
        {
            sb.append(", \"error\": ").append(string(metric.error()));
        }
        sb.append('}');
    }

    private static String describe(final String what, final Measured measured)
    {
        if (measured.isMissing())
        {
            return what + ", not measured";
        }
        return what + ", " + human(measured) + " (median of " + measured.forks().length +
            (measured.forks().length == 1 ? " fork)" : " forks)");
    }

    /**
     * @return the unit of the raw figures as the JSON states it: JMH's ({@code ops/s}, {@code ns/op}) or
     * {@code ns (p50)} for a p50 round trip.
     */
    private static String rawUnit(final Measured measured)
    {
        return measured.unit();
    }

    /**
     * @return a metric's value as the table shows it: a ratio, or an absolute figure with its unit.
     */
    private static String value(final Metric metric)
    {
        final String value = threeDecimals(metric.value());
        return metric.spec().isAbsolute() ? value + " " + metric.spec().unit() : value;
    }

    private static String human(final Measured measured)
    {
        if (measured.isMissing())
        {
            return "-";
        }
        final double value = measured.median();
        if ("ops/s".equals(measured.unit()))
        {
            if (value >= MEGA)
            {
                return String.format(Locale.ROOT, "%.2f M ops/s", value / MEGA);
            }
            if (value >= KILO)
            {
                return String.format(Locale.ROOT, "%.1f k ops/s", value / KILO);
            }
            return String.format(Locale.ROOT, "%.1f ops/s", value);
        }
        if (SuiteMetrics.P50_UNIT.equals(measured.unit()))
        {
            return String.format(Locale.ROOT, "p50 %.0f ns", value);
        }
        if ("ns/op".equals(measured.unit()))
        {
            return String.format(Locale.ROOT, value < 10 ? "%.2f ns/op" : value < 100 ? "%.1f ns/op" : "%.0f ns/op",
                value);
        }
        return String.format(Locale.ROOT, "%.4g %s", value, measured.unit());
    }

    private static void array(final StringBuilder sb, final double[] values)
    {
        sb.append('[');
        for (int i = 0; i < values.length; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(raw(values[i]));
        }
        sb.append(']');
    }

    private static String threeDecimals(final double value)
    {
        return BigDecimal.valueOf(value).setScale(VALUE_DECIMALS, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String raw(final double value)
    {
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            return "null";
        }
        if (value == Math.rint(value) && Math.abs(value) < MAX_EXACT_INTEGER)
        {
            return Long.toString((long)value); // a count: exact, every digit
        }
        return new BigDecimal(value).round(RAW_PRECISION).stripTrailingZeros().toPlainString();
    }

    /**
     * @return the JSON string literal of {@code value}, escaped as RFC 8259 requires.
     */
    static String string(final String value)
    {
        final StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                case '\b':
                    sb.append("\\b");
                    break;
                case '\f':
                    sb.append("\\f");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029)
                    {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
