package io.farline.cli;

import io.farline.transport.Fabric;
import io.farline.transport.FabricFileException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds fabrics for the command line: a name in the default location, a directory, or every fabric there is.
 * <p>
 * An argument is a path if it contains a '/' or is {@code .} or {@code ..}, and a fabric name otherwise (names cannot
 * contain '/' nor start with '.'). A path that is wrong is reported as a path: "does not exist", "is not a
 * directory", never as a bad name. Every problem is a {@link UsageException} with one line to show.
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
        return Fabric.defaultRoot();
    }

    /**
     * For commands that only look at a fabric or remove what is left of it (stat, clean): finds it, creating and
     * changing nothing.
     *
     * @param nameOrPath a fabric name, or a path to a fabric directory.
     * @return the fabric's directory, which exists.
     * @throws UsageException if there is no such fabric.
     */
    public static Path resolve(final String nameOrPath)
    {
        if (isPath(nameOrPath))
        {
            final Path path = Paths.get(nameOrPath);
            if (!Files.exists(path))
            {
                throw new UsageException("no fabric directory " + path + ": it does not exist");
            }
            if (!Files.isDirectory(path))
            {
                throw new UsageException(path + " is not a directory, so not a fabric");
            }
            return path;
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
     * Only directories it creates are made 0700; an existing one is used as it is, if the transport accepts it (see
     * {@link Fabric}).
     *
     * @param nameOrPath a fabric name, or a path to a fabric directory.
     * @return the fabric.
     * @throws UsageException if the name is not valid, or the path cannot be a fabric (it is not a directory, belongs
     *                        to another user, is writable by others, or cannot be created).
     */
    public static Fabric openOrCreate(final String nameOrPath)
    {
        try
        {
            return isPath(nameOrPath) ? Fabric.at(Paths.get(nameOrPath)) : Fabric.open(nameOrPath);
        }
        catch (final IllegalArgumentException | FabricFileException | UncheckedIOException ex)
        {
            throw new UsageException(ex.getMessage());
        }
    }

    /**
     * @return every fabric directory under {@link #root()}, by name; none if the root does not exist.
     * @throws FabricFileException  if the root exists and is refused (another user could write to it).
     * @throws UncheckedIOException if the root cannot be listed.
     */
    public static List<Path> all()
    {
        final Path root = root();
        if (!Files.isDirectory(root))
        {
            return List.of();
        }
        Fabric.openExisting(root); // the root is checked as a fabric directory is: ours, not writable by others
        try (Stream<Path> stream = Files.list(root))
        {
            return stream.filter(Files::isDirectory).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + root + ": " + ex, ex);
        }
    }

    private static boolean isPath(final String nameOrPath)
    {
        return nameOrPath.contains("/") || nameOrPath.equals(".") || nameOrPath.equals("..");
    }
}
