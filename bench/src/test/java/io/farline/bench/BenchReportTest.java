package io.farline.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest
{
    private static final String RESULTS = """
        {
          "suite": "tracking",
          "date": "2026-11-22T00:00:00Z",
          "jdk": "a JDK",
          "machine": "a machine",
          "metrics": [
            {"id": "P1-put-dirty", "value": 1.034, "unit": "ratio", "goal": "<= 1.05", "pass": true},
            {"id": "P2-put-clean", "value": 4.03, "unit": "ratio", "goal": "<= 3.0", "pass": false},
            {"id": "drain", "value": 691.5, "unit": "GB/s", "goal": "record", "pass": true, "forks": [1e2, -3.5]}
          ]
        }
        """;

    @Test
    void shouldReadJsonTheRunnerWritesAndRefuseWhatIsNot()
    {
        final Map<?, ?> json = (Map<?, ?>)JsonReader.parse(RESULTS);
        assertEquals("tracking", json.get("suite"));
        final List<?> metrics = (List<?>)json.get("metrics");
        assertEquals(3, metrics.size());
        assertEquals(List.of(100.0, -3.5), ((Map<?, ?>)metrics.get(2)).get("forks"));
        assertEquals("a\"b\u00e9", JsonReader.parse("\"a\\\"b\\u00e9\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\": }")).getMessage()
            .contains("offset 6"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{} x"));
    }

    @Test
    void shouldDrawTheRoundTripDistributionFromThePingPongPercentiles(@TempDir final Path dir) throws Exception
    {
        final Path results = Files.createDirectories(dir.resolve("results"));
        Files.writeString(results.resolve("transport.json"), """
            {"suite": "transport", "date": "d", "jdk": "j", "machine": "m", "metrics": [
              {"id": "P5-pingpong-rtt", "value": 1.25, "unit": "ratio", "goal": "<= 1.2", "pass": false,
               "subjectValue": 240, "baselineValue": 192},
              {"id": "P5-pingpong-rtt-p99", "value": 1.5, "unit": "ratio", "goal": "record", "pass": true,
               "subjectValue": 600, "baselineValue": 400}]}
            """);
        BenchReport.write(results, dir.resolve("report.md"));
        assertTrue(Files.readString(dir.resolve("report.md"))
            .contains("![round-trip distribution](plots/transport-round-trips.png)"));
        assertNotNull(ImageIO.read(dir.resolve("plots/transport-round-trips.png").toFile()));
    }

    @Test
    void shouldWriteATableAndAChartPerSuite(@TempDir final Path dir) throws Exception
    {
        final Path results = Files.createDirectories(dir.resolve("results"));
        Files.writeString(results.resolve("tracking.json"), RESULTS);
        final String goals = BenchReport.write(results, dir.resolve("report.md"));
        final String md = Files.readString(dir.resolve("report.md"));
        assertTrue(goals.contains("| tracking | `P2-put-clean` | 4.030 | <= 3.0 | **no** |") &&
            !goals.contains("drain"), goals);
        final Path readme = dir.resolve("README.md");
        Files.writeString(readme,
            "before\n" + BenchReport.TABLE_BEGIN + "\nold\n" + BenchReport.TABLE_END + "\nafter\n");
        assertTrue(BenchReport.updateReadme(readme, goals));
        final String updated = Files.readString(readme);
        assertTrue(updated.startsWith("before\n") && updated.endsWith(BenchReport.TABLE_END + "\nafter\n") &&
            !updated.contains("old") && updated.contains("P1-put-dirty"), updated);
        Files.writeString(readme, "no markers");
        assertFalse(BenchReport.updateReadme(readme, goals));
        assertTrue(md.contains("## tracking") && md.contains("a JDK, a machine"), md);
        assertTrue(md.contains("| `P2-put-clean` | 4.030 | ratio | <= 3.0 | **no** |"), md);
        assertTrue(md.contains("![tracking](plots/tracking.png)"), md);
        final BufferedImage png = ImageIO.read(dir.resolve("plots/tracking.png").toFile());
        assertNotNull(png);
        assertTrue(png.getWidth() > 500 && png.getHeight() > 100);

        assertThrows(IllegalArgumentException.class,
            () -> BenchReport.write(Files.createDirectories(dir.resolve("empty")), dir.resolve("r.md")));
        Files.writeString(results.resolve("bad.json"), "{\"suite\": \"x\"}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchReport.write(results,
            dir.resolve("r.md"))).getMessage().contains("no metrics array"));
    }
}
