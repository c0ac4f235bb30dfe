package io.farline.cli;

import io.farline.transport.Fabric;
import io.farline.transport.NodeConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code farline clean [FABRIC]}: removes the files of nodes that are not alive, and fabric directories left empty.
 */
final class CleanCommand
{
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
        int removed = 0;
        for (final Path directory : fabrics)
        {
            final List<String> files = Fabric.at(directory).clean(NodeConfig.DEFAULT_LIVENESS_TIMEOUT_MS);
            removed += files.size();
            for (final String file : files)
            {
                out.println("removed " + directory.resolve(file));
            }
            if (isEmpty(directory) && directory.toFile().delete())
            {
                out.println("removed empty fabric " + directory);
            }
        }
        out.println(removed + " file(s) removed from " + fabrics.size() + " fabric(s)");
        return FarlineMain.EXIT_OK;
    }

    private static boolean isEmpty(final Path directory)
    {
        try (Stream<Path> stream = Files.list(directory))
        {
            return stream.findAny().isEmpty();
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
