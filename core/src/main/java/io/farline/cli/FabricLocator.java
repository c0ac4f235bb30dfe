package io.farline.cli;

import io.farline.transport.Fabric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds fabrics for the command line: a name in the default location, a directory, or every fabric there is.
 */
public final class FabricLocator
{
    private FabricLocator()
    {
    }

    /**
     * @return the directory that holds this user's fabrics by default.
     */
    public static Path root()
    {
        return Fabric.defaultDirectory("x").getParent();
    }

    /**
     * @param nameOrPath a fabric name, or a path to a fabric directory.
     * @return the fabric's directory, which must exist.
     * @throws UsageException if there is no such fabric.
     */
    public static Path resolve(final String nameOrPath)
    {
        final Path asPath = Paths.get(nameOrPath);
        if (nameOrPath.contains("/") && Files.isDirectory(asPath))
        {
            return asPath;
        }
        final Path named;
        try
        {
            named = Fabric.defaultDirectory(nameOrPath);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
        if (!Files.isDirectory(named))
        {
            throw new UsageException("no fabric '" + nameOrPath + "' (looked for " + named + "); fabrics here: " +
                all().stream().map(p -> p.getFileName().toString()).toList());
        }
        return named;
    }

    /**
     * For commands that join a fabric as a node (host, controller): the fabric named, created if it does not exist.
     *
     * @param nameOrPath a fabric name, or a path to a fabric directory.
     * @return the fabric.
     * @throws UsageException if the name is not a valid fabric name.
     */
    public static Fabric openOrCreate(final String nameOrPath)
    {
        try
        {
            return nameOrPath.contains("/") ? Fabric.at(Paths.get(nameOrPath)) : Fabric.open(nameOrPath);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
    }

    /**
     * @return every fabric directory under {@link #root()}, by name.
     */
    public static List<Path> all()
    {
        final Path root = root();
        if (!Files.isDirectory(root))
        {
            return List.of();
        }
        try (Stream<Path> stream = Files.list(root))
        {
            return stream.filter(Files::isDirectory).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + root, ex);
        }
    }
}
