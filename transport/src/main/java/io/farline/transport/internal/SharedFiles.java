package io.farline.transport.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creation and mapping of the files processes share in a fabric directory: directories are made 0700 and files
 * 0600, so only the owning user can read what the nodes exchange.
 * <p>
 * Mappings are left to the GC by default: a {@link MappedByteBuffer} is released once nothing references it, so a
 * thread racing with a close can never touch unmapped memory and crash the JVM (the failure mode of explicit
 * unmapping in Aeron). Closing code drops its references instead. The one exception is a send lane
 * ({@code LaneFile#unmap}): lanes come and go with queue pairs, and their mappings piled up until a GC, so each side
 * unmaps its lane at once when it can prove it is the mapping's only user (the receiver after retiring a lane on its
 * receiving thread; the sender when the thread that opened the lane closes it).
 */
public final class SharedFiles
{
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private SharedFiles()
    {
    }

    /**
     * Creates a directory and its missing parents, each new one 0700, and makes sure the leaf is 0700.
     *
     * @param directory to create.
     * @throws UncheckedIOException if it cannot be created.
     */
    public static void createOwnerOnlyDirectory(final Path directory)
    {
        try
        {
            final Path parent = directory.toAbsolutePath().getParent();
            if (null != parent && !Files.isDirectory(parent))
            {
                createOwnerOnlyDirectory(parent);
            }
            if (!Files.isDirectory(directory))
            {
                try
                {
                    Files.createDirectory(directory, ownerOnly(OWNER_ONLY_DIRECTORY));
                }
                catch (final FileAlreadyExistsException ignore)
                {
                    // another process won the race; the permission fix below still applies.
                }
            }
            if (isPosix(directory))
            {
                Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create fabric directory " + directory, ex);
        }
    }

    /**
     * Atomically creates a new file of the given length, owner read/write only, and maps it read-write.
     *
     * @param file        to create; must not exist.
     * @param lengthBytes of the file.
     * @return the mapping, zero-filled.
     * @throws FileAlreadyExistsException if the file exists (the caller may pick another name).
     * @throws IOException                on any other failure.
     */
    public static MappedByteBuffer createAndMap(final Path file, final long lengthBytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(
            file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
            ownerOnly(OWNER_ONLY_FILE)))
        {
            if (isPosix(file))
            {
                Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
            }
            // FileChannel.truncate only shrinks: writing the last byte sets the length (sparse, zero-filled).
            channel.write(ByteBuffer.wrap(new byte[1]), lengthBytes - 1);
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, lengthBytes);
        }
    }

    /**
     * Gives a fully written file its real name by hard-linking it there; the caller then deletes the temporary name.
     * {@code link(2)} fails if the name exists, so this also claims the name atomically.
     *
     * @param written the file under its temporary name.
     * @param name    the name to publish it under.
     * @throws FileAlreadyExistsException if the name is taken.
     * @throws IOException                on any other failure.
     */
    public static void publishByLink(final Path written, final Path name) throws IOException
    {
        Files.createLink(name, written);
    }

    /**
     * Maps an existing file read-write in full.
     *
     * @param file to map.
     * @return the mapping.
     * @throws IOException if the file is missing or cannot be mapped.
     */
    public static MappedByteBuffer mapExisting(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long size = channel.size();
            if (size > Integer.MAX_VALUE)
            {
                throw new IOException("length " + size + " exceeds the largest mappable buffer (" +
                    Integer.MAX_VALUE + ")");
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
    }

    /**
     * Creates an empty file readable and writable by the owner only, unless it exists.
     *
     * @param file to create.
     * @throws IOException if it cannot be created.
     */
    public static void createOwnerOnlyFileIfMissing(final Path file) throws IOException
    {
        try
        {
            Files.createFile(file, ownerOnly(OWNER_ONLY_FILE));
        }
        catch (final FileAlreadyExistsException ex)
        {
            // made by another process: fine
        }
    }

    /**
     * Deletes a file if it exists, reporting failure as an unchecked exception.
     *
     * @param file to delete.
     * @return true if a file was deleted.
     */
    public static boolean deleteIfExists(final Path file)
    {
        try
        {
            return Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete " + file, ex);
        }
    }

    private static boolean isPosix(final Path path)
    {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] ownerOnly(final Set<PosixFilePermission> permissions)
    {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix") ?
            new FileAttribute<?>[]{ PosixFilePermissions.asFileAttribute(permissions) } : new FileAttribute<?>[0];
    }
}
