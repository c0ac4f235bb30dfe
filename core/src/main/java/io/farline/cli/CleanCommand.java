package io.farline.cli;

import io.farline.core.pool.ControllerLocator;
import io.farline.transport.Fabric;
import io.farline.transport.FabricFileException;
import io.farline.transport.NodeConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code farline clean [FABRIC]}: removes the files of nodes that are not alive and, from a fabric that no node is left
 * in, its bookkeeping and then its directory (see {@link Fabric#cleanAndRemoveIfUnused}). Only files named as fabric
 * files are removed; a directory goes only if it is a fabric.
 * <p>
 * The bookkeeping is the node id sequence and the pool controller's locator ({@value ControllerLocator#FILE_NAME}),
 * which holds nothing but the controller's node id: the pool's state lives in the hosts' chunk tables, and a
 * restarted controller publishes itself again. Both are removed only when no node of the fabric is left, alive or
 * dead, so what they name is gone.
 */
final class CleanCommand
{
    /** The locator and the temporary file {@link ControllerLocator} writes it under, left if it died meanwhile. */
    private static final Pattern CONTROLLER_LOCATOR =
        Pattern.compile(Pattern.quote(ControllerLocator.FILE_NAME) + "(\\.\\d+\\.tmp)?");

    private CleanCommand()
    {
    }

    static int run(final String[] args, final PrintStream out)
    {
        for (final String arg : args)
        {
            if (arg.startsWith("-"))
            {
                throw new UsageException("unknown option '" + arg + "' (clean takes no options, only a fabric)");
            }
        }
        if (args.length > 1)
        {
            throw new UsageException("takes at most one fabric, got " + List.of(args));
        }
        final List<Path> fabrics = args.length == 1 ? List.of(FabricLocator.resolve(args[0])) : FabricLocator.all();
        final Predicate<String> serviceFiles = name -> CONTROLLER_LOCATOR.matcher(name).matches();
        int removed = 0;
        for (final Path directory : fabrics)
        {
            final Fabric fabric;
            try
            {
                fabric = Fabric.openExisting(directory);
            }
            catch (final FabricFileException ex)
            {
                out.println("kept " + directory + ": " + ex.getMessage());
                continue;
            }
            final List<String> files =
                fabric.cleanAndRemoveIfUnused(NodeConfig.DEFAULT_LIVENESS_TIMEOUT_MS, serviceFiles);
            removed += files.size();
            for (final String file : files)
            {
                out.println("removed " + fabric.directory().resolve(file));
            }
            if (!Files.exists(fabric.directory()))
            {
                out.println("removed fabric " + fabric.directory() + ": no node left");
            }
        }
        out.println(removed + " file(s) removed from " + fabrics.size() + " fabric(s)");
        return FarlineMain.EXIT_OK;
    }
}
