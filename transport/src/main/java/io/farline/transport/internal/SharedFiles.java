package io.farline.transport.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
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
     * Creates a directory and its missing parents, each new one 0700. A directory that exists already, the leaf
     * included, is left as it is: its mode is never changed, so that naming a directory of the user's (or a shared
     * one such as {@code /tmp}) does not change who may read it. Whether an existing leaf may be trusted is the
     * caller's to check ({@link #ownerOnlyProblem}).
     *
     * @param directory to create.
     * @throws NotDirectoryException if it, or one of its parents, exists and is not a directory.
     * @throws IOException           if it cannot be created.
     */
    public static void createOwnerOnlyDirectories(final Path directory) throws IOException
    {
        final Path absolute = directory.toAbsolutePath();
        if (Files.isDirectory(absolute))
        {
            return;
        }
        final Path parent = absolute.getParent();
        if (null != parent)
        {
            createOwnerOnlyDirectories(parent);
        }
        try
        {
            Files.createDirectory(absolute, ownerOnly(OWNER_ONLY_DIRECTORY));
        }
        catch (final FileAlreadyExistsException ex)
        {
            if (!Files.isDirectory(absolute))
            {
                throw new NotDirectoryException(absolute.toString());
            }
            return; // another process made it at the same moment: not ours to chmod, checked like any existing one
        }
        if (isPosix(absolute))
        {
            // The mode given at creation is masked by the umask; this sets it exactly, on what was created here only.
            Files.setPosixFilePermissions(absolute, OWNER_ONLY_DIRECTORY);
        }
    }

    /**
     * Checks that an existing directory can hold a fabric's files: it must belong to the user this process runs as
     * and not be writable by group or others, since whoever can write to it can remove, replace or swap the files
     * the nodes share (or the directory itself, for a parent). A symbolic link is followed, and must belong to the
     * user too. On a file system without POSIX permissions there is nothing to check.
     *
     * @param directory an existing directory.
     * @return null if it can be trusted, else what is wrong: its owner and mode, and what is expected.
     * @throws IOException if its attributes cannot be read.
     */
    public static String ownerOnlyProblem(final Path directory) throws IOException
    {
        if (!isPosix(directory))
        {
            return null;
        }
        final UserPrincipal user = currentUser();
        final PosixFileAttributes link =
            Files.readAttributes(directory, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (link.isSymbolicLink() && !user.equals(link.owner()))
        {
            return "a symbolic link owned by " + link.owner().getName() + ": it must belong to " + user.getName() +
                ", the user this process runs as, since its owner can point it elsewhere";
        }
        final PosixFileAttributes attributes = link.isSymbolicLink() ?
            Files.readAttributes(directory, PosixFileAttributes.class) : link;
        final Set<PosixFilePermission> mode = attributes.permissions();
        final String found = "owned by " + attributes.owner().getName() + " with mode " +
            PosixFilePermissions.toString(mode);
        if (!user.equals(attributes.owner()))
        {
            return found + ": it must belong to " + user.getName() + ", the user this process runs as, since its " +
                "owner can swap the fabric's files";
        }
        if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE))
        {
            return found + ": group or others can write to it, and so swap the fabric's files (chmod go-w it if " +
                "it is yours)";
        }
        return null;
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

    /**
     * The user this process runs as, as the file system names owners: on Linux the owner of {@code /proc/self} (the
     * process's effective user, found without a name lookup); elsewhere the process's user name, looked up. The
     * {@code user.name} property is not used: it can be set on the command line.
     */
    private static UserPrincipal currentUser() throws IOException
    {
        final Path self = Paths.get("/proc/self");
        if (Files.isDirectory(self))
        {
            return Files.getOwner(self);
        }
        final String name = ProcessHandle.current().info().user()
            .orElseThrow(() -> new IOException("cannot tell which user this process runs as"));
        return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name);
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
