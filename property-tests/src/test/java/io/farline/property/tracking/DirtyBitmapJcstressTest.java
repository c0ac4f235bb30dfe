package io.farline.property.tracking;

import io.farline.core.internal.ProcessWideBarrier;
import io.farline.transport.JvmFlags;
import io.farline.transport.internal.ChildJvm;
import org.junit.jupiter.api.Test;
import org.openjdk.jcstress.Main;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the {@link DirtyBitmapJcstressTests} scenarios with jcstress in a child JVM, once with the drainer's
 * membarrier and once with {@code -Dfarline.membarrier=false} (writers fence), and fails unless jcstress ran every
 * scenario the machine has CPUs for and found nothing forbidden.
 * <p>
 * Budget: the system properties {@value #MODE_PROPERTY} (a jcstress preset, {@code quick} by default) and
 * {@value #ARGS_PROPERTY} (extra jcstress options; by default one 600 ms iteration per configuration, unified
 * compilation, no stress forks) keep both runs near a minute on 2 cores; the {@code soak} profile raises them. The
 * report and log of each run are under {@code target/jcstress/}.
 */
class DirtyBitmapJcstressTest
{
    static final String MODE_PROPERTY = "farline.jcstress.mode";
    static final String ARGS_PROPERTY = "farline.jcstress.args";
    static final String TIMEOUT_PROPERTY = "farline.jcstress.timeout.minutes";

    private static final Pattern TEST_HEADER = Pattern.compile("^\\.*\\s*\\[([A-Z_ -]+)]\\s+(\\S+)\\s*$");
    private static final Pattern OUTCOME_ROW = Pattern.compile(
        "^\\s*(.+?)\\s+([0-9][0-9,]*)\\s+([<>]?[0-9.]+%)\\s+(Acceptable|Interesting|Forbidden|Unknown)\\b.*$");
    private static final Pattern PROGRESS = Pattern.compile(
        "\\(Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs\\)");

    @Test
    void shouldLoseNoDirtyUnitWhenTheDrainerRunsMembarrier() throws Exception
    {
        assumeTrue(ProcessWideBarrier.isAvailable(),
            "membarrier is unavailable here, so only the fallback can be tested: " +
            ProcessWideBarrier.unavailableReason());
        runJcstress("membarrier", true, List.of());
    }

    @Test
    void shouldLoseNoDirtyUnitWhenWritersFence() throws Exception
    {
        runJcstress("writer-fence", false, List.of("-D" + ProcessWideBarrier.ENABLED_PROPERTY + "=false"));
    }

    private static void runJcstress(final String name, final boolean expectBarrier, final List<String> modeArgs)
        throws IOException, InterruptedException
    {
        final Path dir = Paths.get(System.getProperty("basedir", "."), "target", "jcstress", name).toAbsolutePath();
        Files.createDirectories(dir);
        final Path log = dir.resolve("jcstress.log");
        final Path report = dir.resolve("report");

        final List<String> forkArgs = new ArrayList<>(JvmFlags.forThisJvm());
        forkArgs.add("-D" + BarrierModeCheck.EXPECTED_PROPERTY + "=" + expectBarrier);
        forkArgs.addAll(modeArgs);

        final List<String> args = new ArrayList<>(List.of("-v", "-m", System.getProperty(MODE_PROPERTY, "quick")));
        for (final String arg : System.getProperty(ARGS_PROPERTY, "-sc false -iters 1 -fsm 0 -time 600").split("\\s+"))
        {
            if (!arg.isEmpty())
            {
                args.add(arg);
            }
        }
        args.addAll(List.of("-t", Pattern.quote(DirtyBitmapJcstressTests.class.getSimpleName() + "."),
            "-jvmArgs", String.join(" ", forkArgs), "-r", report.toString()));

        // English digit grouping, so that the sample counts parse; the result blob lands in dir, not the module.
        final List<String> command = ChildJvm.command(Main.class,
            List.of("-Duser.language=en", "-Duser.country=US", "-Xmx256m"), args);
        final Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        final long timeoutMinutes = Long.getLong(TIMEOUT_PROPERTY, 10);
        if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES))
        {
            process.destroyForcibly();
            fail("jcstress (" + name + ") did not finish within " + timeoutMinutes + " minutes; log: " + log);
        }

        final String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("jcstress " + name + ": report " + report.resolve("index.html") + ", log " + log);
        final int resultsAt = output.lastIndexOf("RUN RESULTS:");
        System.out.println(resultsAt < 0 ? output : output.substring(resultsAt));

        assertEquals(0, process.exitValue(), "jcstress exit code (" + name + "); log: " + log);
        assertTrue(resultsAt >= 0, "jcstress printed no results (" + name + "); log: " + log);
        assertProgressClean(output, name, log);

        final Map<String, TestResult> results = parseResults(output.substring(resultsAt));
        final int cpus = Runtime.getRuntime().availableProcessors();
        for (final Class<?> scenario : DirtyBitmapJcstressTests.class.getDeclaredClasses())
        {
            if (null == scenario.getAnnotation(JCStressTest.class))
            {
                continue;
            }
            final String testName = scenario.getName().replace('$', '.');
            final int actors = actorCount(scenario);
            final TestResult result = results.get(testName);
            if (actors > cpus)
            {
                System.out.println("NOT RUN: " + testName + " needs " + actors + " CPUs, this machine has " + cpus);
                continue;
            }
            assertTrue(null != result, testName + " did not run (" + name + "); log: " + log);
            assertEquals(List.of(), result.statusesOtherThanOk(), testName + " statuses (" + name + ")");
            assertTrue(result.totalSamples() > 0, testName + " ran no samples (" + name + ")");
            assertFalse(result.forbiddenSeen(), testName + " saw a forbidden outcome (" + name + "): " +
                result.samples);
            System.out.println(name + ": " + testName + " " + result.samples);
        }
    }

    private static void assertProgressClean(final String output, final String name, final Path log)
    {
        final Matcher progress = PROGRESS.matcher(output);
        String last = null;
        int planned = 0;
        int passed = 0;
        int failures = 0;
        while (progress.find())
        {
            last = progress.group();
            planned = Integer.parseInt(progress.group(1));
            passed = Integer.parseInt(progress.group(2));
            failures = Integer.parseInt(progress.group(3)) + Integer.parseInt(progress.group(4)) +
                Integer.parseInt(progress.group(5));
        }
        assertTrue(null != last, "jcstress printed no progress line (" + name + "); log: " + log);
        assertTrue(planned > 0, "jcstress planned no test runs (" + name + "): " + last);
        assertEquals(0, failures, "jcstress failures (" + name + "): " + last);
        assertEquals(planned, passed, "jcstress runs passed (" + name + "): " + last);
    }

    /**
     * Reads jcstress's verbose "RUN RESULTS" section: a {@code [STATUS] test.Name} line per test, followed by the
     * table of its outcomes across all configurations.
     */
    static Map<String, TestResult> parseResults(final String runResults)
    {
        final Map<String, TestResult> results = new LinkedHashMap<>();
        TestResult current = null;
        for (final String line : runResults.split("\\R"))
        {
            final Matcher header = TEST_HEADER.matcher(line);
            if (header.matches())
            {
                current = results.computeIfAbsent(header.group(2), ignored -> new TestResult());
                current.statuses.add(header.group(1));
                continue;
            }
            final Matcher row = OUTCOME_ROW.matcher(line);
            if (null != current && row.matches())
            {
                final long samples = Long.parseLong(row.group(2).replace(",", ""));
                current.samples.merge(row.group(1).trim() + " (" + row.group(4) + ")", samples, Long::sum);
                if ("Forbidden".equals(row.group(4)) && samples > 0)
                {
                    current.forbidden = true;
                }
            }
        }
        return results;
    }

    private static int actorCount(final Class<?> scenario)
    {
        int actors = 0;
        for (final Method method : scenario.getDeclaredMethods())
        {
            if (null != method.getAnnotation(Actor.class))
            {
                actors++;
            }
        }
        return actors;
    }

    static final class TestResult
    {
        final List<String> statuses = new ArrayList<>();
        final Map<String, Long> samples = new TreeMap<>();
        boolean forbidden;

        List<String> statusesOtherThanOk()
        {
            final List<String> others = new ArrayList<>();
            for (final String status : statuses)
            {
                if (!"OK".equals(status))
                {
                    others.add(status);
                }
            }
            return others;
        }

        long totalSamples()
        {
            long total = 0;
            for (final long count : samples.values())
            {
                total += count;
            }
            return total;
        }

        boolean forbiddenSeen()
        {
            return forbidden;
        }
    }
}
