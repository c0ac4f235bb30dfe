package io.farline.cli;

import io.farline.transport.Fabric;
import io.farline.transport.FabricFileException;
import io.farline.transport.Liveness;
import io.farline.transport.NodeConfig;
import io.farline.transport.Verb;
import io.farline.transport.VerbCounters;
import io.farline.transport.control.ControlFile;
import org.agrona.concurrent.status.CountersReader;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code farline stat [--once] [FABRIC]}: every node of a fabric, alive or dead, with its liveness, regions, per-verb
 * counters and application counters (a memory host's chunks by state, far memory's rebuild progress), read from the
 * control files while the nodes run (or after they died). On a terminal the view refreshes in place every second,
 * like {@code top}, until Ctrl-C; with {@code --once}, or when the output is not a terminal, it prints once. It only
 * reads: it creates no directory and changes no mode, whatever path it is given.
 */
final class StatCommand
{
    private static final long REFRESH_MS = 1000;
    /** ANSI: cursor home, clear the screen. */
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    private StatCommand()
    {
    }

    static int run(final String[] args, final PrintStream out)
    {
        boolean once = null == System.console();
        final List<String> rest = new ArrayList<>();
        for (final String arg : args)
        {
            if (arg.equals("--once"))
            {
                once = true;
            }
            else if (arg.startsWith("-"))
            {
                throw new UsageException("unknown option '" + arg + "' (options: --once)");
            }
            else
            {
                rest.add(arg);
            }
        }
        if (rest.size() > 1)
        {
            throw new UsageException("takes at most one fabric, got " + rest);
        }
        final String fabric = rest.isEmpty() ? null : rest.get(0);
        if (null != fabric)
        {
            FabricLocator.resolve(fabric); // a missing fabric is a usage error at once, not a blank screen
        }
        if (once)
        {
            printAll(fabric, out);
            return FarlineMain.EXIT_OK;
        }
        while (!Thread.currentThread().isInterrupted())
        {
            // The whole frame is built first and written at once, so that the refresh does not flicker.
            final ByteArrayOutputStream frame = new ByteArrayOutputStream();
            final PrintStream screen = new PrintStream(frame, false, StandardCharsets.UTF_8);
            screen.println("farline stat, " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) +
                ", every " + REFRESH_MS / 1000 + " s; Ctrl-C to stop");
            printAll(fabric, screen);
            screen.flush();
            out.print(CLEAR_SCREEN);
            out.print(frame.toString(StandardCharsets.UTF_8));
            out.flush();
            try
            {
                Thread.sleep(REFRESH_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        return FarlineMain.EXIT_OK;
    }

    private static void printAll(final String fabric, final PrintStream out)
    {
        final List<Path> fabrics = null != fabric ? List.of(FabricLocator.resolve(fabric)) : FabricLocator.all();
        if (fabrics.isEmpty())
        {
            out.println("no fabrics under " + FabricLocator.root());
        }
        for (final Path directory : fabrics)
        {
            final Fabric opened;
            try
            {
                opened = Fabric.openExisting(directory); // a reader creates and changes nothing
            }
            catch (final FabricFileException ex)
            {
                out.println("fabric " + directory.getFileName() + ": " + ex.getMessage());
                continue;
            }
            print(opened, out);
        }
    }

    static void print(final Fabric fabric, final PrintStream out)
    {
        final int[] nodeIds = fabric.nodeIds();
        out.println("fabric " + fabric.directory().getFileName() + " (" + fabric.directory() + "): " +
            nodeIds.length + " node(s)");
        final long nowMs = System.currentTimeMillis();
        for (final int nodeId : nodeIds)
        {
            final ControlFile controlFile;
            try
            {
                controlFile = ControlFile.attach(fabric.controlFile(nodeId), nodeId, 0);
            }
            catch (final FabricFileException ex)
            {
                out.println("  node " + nodeId + "  " + ex.getMessage());
                continue;
            }
            final Liveness.Verdict verdict =
                Liveness.evaluate(controlFile, nowMs, NodeConfig.DEFAULT_LIVENESS_TIMEOUT_MS);
            final int[] regionIds = fabric.regionIds(nodeId);
            long regionBytes = 0;
            for (final int regionId : regionIds)
            {
                regionBytes += fabric.regionFile(nodeId, regionId).toFile().length();
            }
            out.printf("  node %d  pid %d  %s (%s)  regions: %d (%s)%n", nodeId, controlFile.pid(),
                verdict.state(), verdict.reason(), regionIds.length, Units.bytes(regionBytes));
            final CountersReader counters;
            try
            {
                counters = controlFile.countersReader(); // checked: a corrupt record must not end the listing
            }
            catch (final FabricFileException ex)
            {
                out.println("    " + ex.getMessage());
                continue;
            }
            final long[][] totals = VerbCounters.totals(counters);
            out.printf("    %-18s %14s %16s %10s%n", "verb", "ops", "bytes", "errors");
            for (final Verb verb : Verb.values())
            {
                final long[] t = totals[verb.ordinal()];
                out.printf("    %-18s %,14d %16s %,10d%n", verb, t[VerbCounters.OPS],
                    Units.bytes(t[VerbCounters.BYTES]), t[VerbCounters.ERRORS]);
            }
            counters.forEach((counterId, typeId, keyBuffer, label) ->
            {
                if (null == VerbCounters.verbOf(typeId))
                {
                    out.printf("    %-50s %,14d%n", label, counters.getCounterValue(counterId));
                }
            });
        }
    }
}
