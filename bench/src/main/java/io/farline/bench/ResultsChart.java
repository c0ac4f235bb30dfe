package io.farline.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A suite's metrics as a PNG: one panel per unit, one horizontal bar per metric, green where the goal is met, red
 * where it is not, grey for a figure that is only recorded; the goal is a black tick. Ratios use a log scale centred
 * on 1 (the baseline), so that 0.02 and 50 both read; other units a linear scale from 0. Drawn with the JDK's own
 * {@code java.desktop} (headless), which is all a bar chart needs.
 */
final class ResultsChart
{
    private static final int WIDTH = 1100;
    private static final int LABEL_WIDTH = 330;
    private static final int VALUE_WIDTH = 210;
    private static final int ROW_HEIGHT = 26;
    private static final int PANEL_HEADER = 30;
    private static final int TITLE_HEIGHT = 56;
    private static final Color PASS = new Color(0x2E7D32);
    private static final Color FAIL = new Color(0xC62828);
    private static final Color RECORD = new Color(0x78909C);

    /**
     * One bar.
     *
     * @param id    the metric's id.
     * @param value its value.
     * @param unit  its unit.
     * @param goal  its goal as written in the results ({@code "<= 1.05"}, {@code ">= 10.0"}, {@code "record"}).
     * @param pass  whether the goal is met.
     */
    record Bar(String id, double value, String unit, String goal, boolean pass)
    {
        double goalValue()
        {
            return goal.startsWith("<=") || goal.startsWith(">=") ? Double.parseDouble(goal.substring(2).trim()) :
                Double.NaN;
        }
    }

    private ResultsChart()
    {
    }

    /**
     * Draws the bars and writes the PNG.
     *
     * @param title    the first title line.
     * @param subtitle the second (machine, JDK, date).
     * @param bars     the metrics with a value.
     * @param file     where to write.
     */
    static void write(final String title, final String subtitle, final List<Bar> bars, final Path file)
    {
        final Map<String, List<Bar>> panels = new LinkedHashMap<>();
        for (final Bar bar : bars)
        {
            panels.computeIfAbsent(bar.unit(), unit -> new ArrayList<>()).add(bar);
        }
        final int height = TITLE_HEIGHT + panels.values().stream()
            .mapToInt(panel -> PANEL_HEADER + panel.size() * ROW_HEIGHT + 10).sum();
        final BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try
        {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(title, 12, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(subtitle, 12, 42);
            int y = TITLE_HEIGHT;
            for (final Map.Entry<String, List<Bar>> panel : panels.entrySet())
            {
                y = drawPanel(g, panel.getKey(), panel.getValue(), y);
            }
        }
        finally
        {
            g.dispose();
        }
        try
        {
            ImageIO.write(image, "png", file.toFile());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
    }

    private static int drawPanel(final Graphics2D g, final String unit, final List<Bar> bars, final int top)
    {
        final boolean ratio = SuiteMetrics.RATIO_UNIT.equals(unit);
        double max = 0;
        double min = Double.MAX_VALUE;
        for (final Bar bar : bars)
        {
            max = Math.max(max, Math.max(bar.value(), nanToZero(bar.goalValue())));
            min = Math.min(min, bar.value() > 0 ? bar.value() : min);
        }
        // Log scale for ratios: from a power of ten below the smallest to one above the largest, 1 included.
        final double lo = ratio ? Math.min(0, Math.floor(Math.log10(min))) : 0;
        final double hi = ratio ? Math.max(0, Math.ceil(Math.log10(max))) + (max > 0 ? 0 : 1) : max * 1.1;
        final int x0 = LABEL_WIDTH;
        final int plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(ratio ? "ratio to baseline (log)" : unit, 12, top + 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        final int rowsTop = top + PANEL_HEADER;
        final int rowsBottom = rowsTop + bars.size() * ROW_HEIGHT;
        if (ratio)
        {
            for (double decade = lo; decade <= hi; decade++)
            {
                final int x = x0 + (int)((decade - lo) / (hi - lo) * plotWidth);
                g.setColor(decade == 0 ? Color.GRAY : new Color(0xE0E0E0));
                g.drawLine(x, rowsTop - 4, x, rowsBottom);
                g.drawString(formatTick(Math.pow(10, decade)), x - 10, rowsTop - 6);
            }
        }
        int y = rowsTop;
        for (final Bar bar : bars)
        {
            g.setColor(Color.BLACK);
            g.drawString(bar.id(), 12, y + 17);
            final int base = ratio ? x0 + (int)((0 - lo) / (hi - lo) * plotWidth) : x0;
            final int end = ratio ?
                x0 + (int)((Math.log10(Math.max(bar.value(), 1e-12)) - lo) / (hi - lo) * plotWidth) :
                x0 + (int)(bar.value() / hi * plotWidth);
            g.setColor("record".equals(bar.goal()) ? RECORD : bar.pass() ? PASS : FAIL);
            g.fillRect(Math.min(base, end), y + 5, Math.max(2, Math.abs(end - base)), ROW_HEIGHT - 10);
            final double goal = bar.goalValue();
            if (!Double.isNaN(goal))
            {
                final int gx = ratio ? x0 + (int)((Math.log10(goal) - lo) / (hi - lo) * plotWidth) :
                    x0 + (int)(goal / hi * plotWidth);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(2));
                g.drawLine(gx, y + 2, gx, y + ROW_HEIGHT - 2);
                g.setStroke(new BasicStroke(1));
            }
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.4g %s", bar.value(), ratio ? "" : unit).trim() +
                ("record".equals(bar.goal()) ? "" : "  (" + bar.goal() + ")"), WIDTH - VALUE_WIDTH + 6, y + 17);
            y += ROW_HEIGHT;
        }
        return rowsBottom + 10;
    }

    private static String formatTick(final double value)
    {
        return value >= 1 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2g", value);
    }

    private static double nanToZero(final double value)
    {
        return Double.isNaN(value) ? 0 : value;
    }
}
