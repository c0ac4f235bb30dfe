package io.farline.core.pool;

import io.farline.transport.Fabric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where the pool controller is: a small file, {@code pool-controller} in the fabric directory, holding the
 * controller's node id. The controller writes it under a temporary name and renames it into place, so readers see a
 * whole file or none; a restarted controller overwrites it. Readers treat it as input: a file that is too long or
 * malformed reads as "no controller".
 */
public final class ControllerLocator
{
    /** Name of the file in the fabric directory. */
    public static final String FILE_NAME = "pool-controller";

    private static final String PREFIX = "farline-pool-controller ";
    private static final int MAX_LENGTH_BYTES = 64;

    private ControllerLocator()
    {
    }

    /**
     * Publishes this node as the fabric's controller.
     *
     * @param fabric the fabric.
     * @param nodeId the controller's node id.
     */
    public static void publish(final Fabric fabric, final int nodeId)
    {
        final Path target = fabric.directory().resolve(FILE_NAME);
        final Path temp = fabric.directory().resolve(FILE_NAME + "." + ProcessHandle.current().pid() + ".tmp");
        try
        {
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temp, (PREFIX + nodeId + "\n").getBytes(StandardCharsets.US_ASCII));
            try
            {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot publish the pool controller in " + fabric.directory(), ex);
        }
    }

    /**
     * @param fabric the fabric.
     * @return the controller's node id, or -1 if no valid locator file exists.
     */
    public static int read(final Fabric fabric)
    {
        final Path file = fabric.directory().resolve(FILE_NAME);
        try
        {
            if (Files.size(file) > MAX_LENGTH_BYTES)
            {
                return -1;
            }
            final String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
            if (!text.startsWith(PREFIX))
            {
                return -1;
            }
            final int nodeId = Integer.parseInt(text.substring(PREFIX.length()));
            return nodeId >= 1 && nodeId <= Fabric.MAX_NODE_ID ? nodeId : -1;
        }
        catch (final NoSuchFileException ex)
        {
            return -1;
        }
        catch (final IOException | NumberFormatException ex)
        {
            return -1;
        }
    }
}
