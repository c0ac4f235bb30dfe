package io.farline.cli;

import io.farline.transport.Fabric;
import io.farline.transport.FabricFileException;
import io.farline.transport.Liveness;
import io.farline.transport.NodeConfig;
import io.farline.transport.Verb;
import io.farline.transport.VerbCounters;
import io.farline.transport.control.ControlFile;
import org.agrona.concurrent.status.CountersReader;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code farline stat [FABRIC]}: every node of a fabric, alive or dead, with its liveness, regions and per-verb
 * counters, read from the control files while the nodes run (or after they died).
 */
final class StatCommand
{
    private StatCommand()
    {
    }

    static int run(final String[] args, final PrintStream out)
    {
        if (args.length > 1)
        {
            throw new UsageException("takes at most one fabric, got " + List.of(args));
        }
        final List<Path> fabrics = args.length == 1 ? List.of(FabricLocator.resolve(args[0])) : FabricLocator.all();
        if (fabrics.isEmpty())
        {
            out.println("no fabrics under " + FabricLocator.root());
        }
        for (final Path directory : fabrics)
        {
            print(Fabric.at(directory), out);
        }
        return FarlineMain.EXIT_OK;
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
            final CountersReader counters =
                new CountersReader(controlFile.countersMetadataBuffer(), controlFile.countersValuesBuffer());
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
