package io.farline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes {@code bench/report.md} and a PNG per suite ({@code bench/plots/<suite>.png}) from the results files in
 * {@code bench/results}: for each suite the machine, JDK and date that produced it, every metric with its goal, and
 * a chart ({@link ResultsChart}). Run by {@code ./farline bench} after the suites; reads only what the runner wrote.
 * <p>
 * It also rewrites the part of a README between {@value #TABLE_BEGIN} and {@value #TABLE_END} with a table of the
 * metrics that have goals, so that the README's figures are never typed by hand.
 * <p>
 * Usage: {@code BenchReport [resultsDirectory [reportFile [readme]]]}, by default {@code bench/results},
 * {@code bench/report.md} and {@code README.md} (left alone if it has no markers).
 */
public final class BenchReport
{
    /** Where the README's generated table starts. */
    static final String TABLE_BEGIN = "<!-- bench-table:begin (written by BenchReport) -->";
    /** Where it ends. */
    static final String TABLE_END = "<!-- bench-table:end -->";

    /** The ping-pong metrics whose subject and baseline make the round-trip distribution, with their labels. */
    private static final String[][] ROUND_TRIP_PERCENTILES = {
        { "P5-pingpong-rtt", "p50" }, { "P5-pingpong-rtt-p90", "p90" }, { "P5-pingpong-rtt-p99", "p99" },
        { "P5-pingpong-rtt-p999", "p99.9" } };

    private BenchReport()
    {
    }

    /**
     * @param args optional results directory and report file.
     */
    public static void main(final String[] args)
    {
        System.setProperty("java.awt.headless", "true");
        final Path results = Paths.get(args.length > 0 ? args[0] : "bench/results");
        final Path report = Paths.get(args.length > 1 ? args[1] : "bench/report.md");
        final Path readme = Paths.get(args.length > 2 ? args[2] : "README.md");
        try
        {
            final String goalTable = write(results, report);
            System.out.println("wrote " + report);
            if (updateReadme(readme, goalTable))
            {
                System.out.println("updated the benchmark table of " + readme);
            }
        }
        catch (final RuntimeException ex)
        {
            System.err.println("bench report: " + ex.getMessage());
            System.exit(1);
        }
    }

    /**
     * @return a Markdown table of the metrics that have goals, for {@link #updateReadme}.
     * @throws IllegalArgumentException if there are no results or a file is not a results file.
     */
    static String write(final Path resultsDirectory, final Path reportFile)
    {
        final List<Path> files;
        try (Stream<Path> list = Files.list(resultsDirectory))
        {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + resultsDirectory, ex);
        }
        if (files.isEmpty())
        {
            throw new IllegalArgumentException("no results in " + resultsDirectory + ": run the suites first");
        }
        final Path plots = reportFile.resolveSibling("plots");
        final StringBuilder goalRows =
            new StringBuilder("| suite | metric | value | goal | met |\n|---|---|---|---|---|\n");
        final StringBuilder md = new StringBuilder();
        md.append("# Farline benchmark report\n\n");
        md.append("Generated ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
            .append(" from `bench/results/*.json` by `BenchReport`. Every figure is a ratio to a baseline measured ")
            .append("in the same run (median over forks), or an absolute figure where the unit says so; ")
            .append("`bench/README.md` says how each is measured.\n");
        try
        {
            Files.createDirectories(plots);
            for (final Path file : files)
            {
                appendSuite(md, goalRows, file, plots, reportFile.getParent());
            }
            Files.writeString(reportFile, md.toString(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + reportFile, ex);
        }
        return goalRows.toString();
    }

    /**
     * Replaces the README's table between the markers.
     *
     * @param readme    the README.
     * @param goalTable the table {@link #write} returned.
     * @return false if the README has no markers (it is left alone).
     */
    static boolean updateReadme(final Path readme, final String goalTable)
    {
        try
        {
            if (!Files.exists(readme))
            {
                return false;
            }
            final String text = Files.readString(readme, StandardCharsets.UTF_8);
            final int begin = text.indexOf(TABLE_BEGIN);
            final int end = text.indexOf(TABLE_END);
            if (begin < 0 || end < begin)
            {
                return false;
            }
            Files.writeString(readme, text.substring(0, begin + TABLE_BEGIN.length()) + "\n" + goalTable +
                text.substring(end), StandardCharsets.UTF_8);
            return true;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot update " + readme, ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static void appendSuite(final StringBuilder md, final StringBuilder goalRows, final Path file,
        final Path plots, final Path reportDir) throws IOException
    {
        final Object parsed = JsonReader.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(parsed instanceof Map<?, ?> json) || !(json.get("metrics") instanceof List<?> metrics))
        {
            throw new IllegalArgumentException(file + " is not a results file: it has no metrics array");
        }
        final String suite = String.valueOf(json.get("suite"));
        md.append("\n## ").append(suite).append("\n\n");
        md.append(json.get("date")).append(", ").append(json.get("jdk")).append(", ").append(json.get("machine"))
            .append("\n\n");
        md.append("| metric | value | unit | goal | pass |\n|---|---|---|---|---|\n");
        final List<ResultsChart.Bar> bars = new ArrayList<>();
        for (final Object item : metrics)
        {
            final Map<String, Object> metric = (Map<String, Object>)item;
            final Object value = metric.get("value");
            final String unit = String.valueOf(metric.get("unit"));
            final String goal = String.valueOf(metric.get("goal"));
            final boolean pass = Boolean.TRUE.equals(metric.get("pass"));
            if (!"record".equals(goal) && value instanceof Double v)
            {
                goalRows.append("| ").append(suite).append(" | `").append(metric.get("id")).append("` | ")
                    .append(String.format(Locale.ROOT, "%.4g", v)).append(SuiteMetrics.RATIO_UNIT.equals(unit) ?
                    "" : " " + unit).append(" | ").append(goal).append(" | ").append(pass ? "yes" : "**no**")
                    .append(" |\n");
            }
            md.append("| `").append(metric.get("id")).append("` | ")
                .append(value instanceof Double v ? String.format(Locale.ROOT, "%.4g", v) : "-").append(" | ")
                .append(unit).append(" | ").append(goal).append(" | ")
                .append("record".equals(goal) ? "recorded" : pass ? "yes" : "**no**").append(" |\n");
            if (value instanceof Double v && !v.isNaN())
            {
                bars.add(new ResultsChart.Bar(String.valueOf(metric.get("id")), v, unit, goal, pass));
            }
        }
        final String subtitle = json.get("date") + ", " + json.get("jdk") + ", " + json.get("machine");
        if (!bars.isEmpty())
        {
            final Path png = plots.resolve(suite + ".png");
            ResultsChart.write("Farline " + suite + " suite", subtitle, bars, png);
            md.append("\n![").append(suite).append("](").append(reportDir.relativize(png).toString()
                .replace('\\', '/')).append(")\n");
        }
        final List<ResultsChart.Bar> roundTrips = roundTripDistribution((List<Object>)metrics);
        if (!roundTrips.isEmpty())
        {
            final Path png = plots.resolve(suite + "-round-trips.png");
            ResultsChart.write("Farline SEND/RECV round trip against Agrona's one-to-one ring, by percentile",
                subtitle, roundTrips, png);
            md.append("\n![round-trip distribution](").append(reportDir.relativize(png).toString()
                .replace('\\', '/')).append(")\n");
        }
    }

    /**
     * @return the ping-pong's percentiles (p50 and the tail metrics), Farline and the raw ring side by side, in ns.
     */
    @SuppressWarnings("unchecked")
    private static List<ResultsChart.Bar> roundTripDistribution(final List<Object> metrics)
    {
        final List<ResultsChart.Bar> bars = new ArrayList<>();
        for (final String[] percentile : ROUND_TRIP_PERCENTILES)
        {
            for (final Object item : metrics)
            {
                final Map<String, Object> metric = (Map<String, Object>)item;
                if (percentile[0].equals(metric.get("id")) && metric.get("subjectValue") instanceof Double farline &&
                    metric.get("baselineValue") instanceof Double ring)
                {
                    bars.add(new ResultsChart.Bar(percentile[1] + " Farline", farline, "ns", "record", true));
                    bars.add(new ResultsChart.Bar(percentile[1] + " Agrona ring", ring, "ns", "record", true));
                }
            }
        }
        return bars;
    }
}
