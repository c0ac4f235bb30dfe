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
 * Usage: {@code BenchReport [resultsDirectory [reportFile]]}, by default {@code bench/results} and
 * {@code bench/report.md}.
 */
public final class BenchReport
{
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
        try
        {
            System.out.println("wrote " + write(results, report));
        }
        catch (final RuntimeException ex)
        {
            System.err.println("bench report: " + ex.getMessage());
            System.exit(1);
        }
    }

    /**
     * @return the report file.
     * @throws IllegalArgumentException if there are no results or a file is not a results file.
     */
    static Path write(final Path resultsDirectory, final Path reportFile)
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
                appendSuite(md, file, plots, reportFile.getParent());
            }
            Files.writeString(reportFile, md.toString(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + reportFile, ex);
        }
        return reportFile;
    }

    @SuppressWarnings("unchecked")
    private static void appendSuite(final StringBuilder md, final Path file, final Path plots, final Path reportDir)
        throws IOException
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
            md.append("| `").append(metric.get("id")).append("` | ")
                .append(value instanceof Double v ? String.format(Locale.ROOT, "%.4g", v) : "-").append(" | ")
                .append(unit).append(" | ").append(goal).append(" | ")
                .append("record".equals(goal) ? "recorded" : pass ? "yes" : "**no**").append(" |\n");
            if (value instanceof Double v && !v.isNaN())
            {
                bars.add(new ResultsChart.Bar(String.valueOf(metric.get("id")), v, unit, goal, pass));
            }
        }
        if (!bars.isEmpty())
        {
            final Path png = plots.resolve(suite + ".png");
            ResultsChart.write("Farline " + suite + " suite", json.get("date") + ", " + json.get("jdk") + ", " +
                json.get("machine"), bars, png);
            md.append("\n![").append(suite).append("](").append(reportDir.relativize(png).toString()
                .replace('\\', '/')).append(")\n");
        }
    }
}
