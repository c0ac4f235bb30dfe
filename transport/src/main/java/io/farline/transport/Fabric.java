package io.farline.transport;

import io.farline.transport.control.ControlFile;
import io.farline.transport.internal.SharedFiles;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fabric: the directory that the nodes of one deployment share, standing for an RDMA network. It holds one control
 * file per node ({@code node-<id>.ctl}), one file per registered region ({@code node-<id>.region-<id>.mr}), one file
 * per send lane ({@code node-<sender>.lane-<id>.to-<receiver>.ring}, the ring a queue pair SENDs through), and the
 * sequence of node ids ({@value #NODE_ID_SEQUENCE_FILE}).
 * <p>
 * The default directory is {@code /dev/shm/farline-<user>/<name>}, falling back to
 * {@code <java.io.tmpdir>/farline-<user>/<name>} where there is no {@code /dev/shm}. Directories are created 0700 and
 * files 0600. A directory that exists already (the fabric's, or the default root {@code farline-<user>} above it) is
 * used as it is, never chmodded, and only if it belongs to this process's user and is not writable by group or
 * others: whoever can write to it could swap the files the nodes share. Anything else is refused with a
 * {@link FabricFileException} naming the path, its owner and its mode. Files of dead nodes stay until {@link #clean}
 * removes them, so that peers can read a dead node's memory. Files whose names do not follow the pattern are foreign
 * and ignored. Immutable and thread-safe.
 */
public final class Fabric
{
    /** Node ids are in 1..MAX_NODE_ID. */
    public static final int MAX_NODE_ID = 0xFFFF;

    /**
     * How long {@link #clean} waits for a control file still being published by a starting node, and how long
     * {@link #cleanAndRemoveIfUnused} leaves a fabric alone after its directory or its node id sequence changed.
     */
    public static final long STARTING_NODE_GRACE_MS = 500;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern CONTROL_FILE = Pattern.compile("node-(\\d{1,5})\\.ctl");
    private static final Pattern REGION_FILE = Pattern.compile("node-(\\d{1,5})\\.region-(\\d{1,9})\\.mr");
    private static final Pattern LANE_FILE = Pattern.compile("node-(\\d{1,5})\\.lane-\\d{1,10}\\.to-(\\d{1,5})\\.ring");
    /** A control file still being written under its temporary name by the process whose pid it carries. */
    private static final Pattern UNPUBLISHED_CONTROL_FILE =
        Pattern.compile("node-\\d{1,5}\\.ctl\\.(\\d{1,19})-\\d+\\.tmp");

    private final Path directory;

    private Fabric(final Path directory)
    {
        this.directory = directory;
    }

    /**
     * Opens (creating if needed) the fabric of the given name in the default location.
     *
     * @param name letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64 characters.
     * @return the fabric.
     * @throws IllegalArgumentException if the name is not valid.
     * @throws FabricFileException      if the default root or the fabric's directory exists and is refused (see the
     *                                  class comment).
     * @throws UncheckedIOException     if the directory cannot be created.
     * @throws IllegalStateException    if the JVM lacks a flag Farline needs (see {@link JvmFlags}).
     */
    public static Fabric open(final String name)
    {
        return at(defaultDirectory(name));
    }

    /**
     * Opens (creating if needed) a fabric in the given directory. Only what is created here is given its mode; an
     * existing directory must pass the ownership check of the class comment, and so must the default root if the
     * directory is in it.
     *
     * @param directory of the fabric.
     * @return the fabric.
     * @throws FabricFileException   if the path, or one of its parents, exists and is not a directory, or an existing
     *                               directory is refused (see the class comment).
     * @throws UncheckedIOException  if the directory cannot be created.
     * @throws IllegalStateException if the JVM lacks a flag Farline needs (see {@link JvmFlags}).
     */
    public static Fabric at(final Path directory)
    {
        JvmFlags.ensurePresent();
        final Path absolute = directory.toAbsolutePath().normalize();
        final Path root = defaultRoot();
        if (absolute.startsWith(root) && !absolute.equals(root))
        {
            // The root first: nothing is created in a root that another user could swap.
            createDirectories(root);
            checkOwnerOnly(root);
        }
        createDirectories(absolute);
        checkOwnerOnly(absolute);
        return new Fabric(absolute);
    }

    /**
     * Opens a fabric that exists, creating and changing nothing: for tools that only read a fabric or remove what is
     * left of it. The directory (and the default root, if it is in it) must pass the ownership check of the class
     * comment.
     *
     * @param directory of the fabric.
     * @return the fabric.
     * @throws FabricFileException   if the directory does not exist, is not a directory, or is refused.
     * @throws IllegalStateException if the JVM lacks a flag Farline needs (see {@link JvmFlags}).
     */
    public static Fabric openExisting(final Path directory)
    {
        JvmFlags.ensurePresent();
        final Path absolute = directory.toAbsolutePath().normalize();
        final Path root = defaultRoot();
        if (absolute.startsWith(root) && !absolute.equals(root) && Files.isDirectory(root))
        {
            checkOwnerOnly(root);
        }
        if (!Files.exists(absolute))
        {
            throw new FabricFileException(absolute, "no such fabric directory");
        }
        if (!Files.isDirectory(absolute))
        {
            throw new FabricFileException(absolute, "not a directory, so not a fabric");
        }
        checkOwnerOnly(absolute);
        return new Fabric(absolute);
    }

    /**
     * @param name of a fabric.
     * @return where {@link #open(String)} puts it.
     * @throws IllegalArgumentException if the name is not valid.
     */
    public static Path defaultDirectory(final String name)
    {
        if (null == name || !NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException("fabric name '" + name + "' must match " + NAME.pattern());
        }
        return defaultRoot().resolve(name);
    }

    /**
     * @return the directory that holds this user's fabrics by default, {@code /dev/shm/farline-<user>} (or under
     * {@code java.io.tmpdir} where there is no {@code /dev/shm}); it may not exist yet.
     */
    public static Path defaultRoot()
    {
        final String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        final File shm = new File("/dev/shm");
        final Path parent = shm.isDirectory() && shm.canWrite() ?
            shm.toPath() : Paths.get(System.getProperty("java.io.tmpdir"));
        return parent.resolve("farline-" + user).toAbsolutePath().normalize();
    }

    private static void createDirectories(final Path directory)
    {
        try
        {
            SharedFiles.createOwnerOnlyDirectories(directory);
        }
        catch (final NotDirectoryException ex)
        {
            throw new FabricFileException(Paths.get(ex.getFile()), "exists and is not a directory, so it cannot " +
                "hold a fabric" + (ex.getFile().equals(directory.toString()) ? "" : " (" + directory + ")"));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create fabric directory " + directory + ": " + ex, ex);
        }
    }

    private static void checkOwnerOnly(final Path directory)
    {
        final String problem;
        try
        {
            problem = SharedFiles.ownerOnlyProblem(directory);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot check the owner and mode of " + directory + ": " + ex, ex);
        }
        if (null != problem)
        {
            throw new FabricFileException(directory, problem);
        }
    }

    /** Name of the file that remembers the next node id to hand out, so that ids are not reused soon. */
    public static final String NODE_ID_SEQUENCE_FILE = "node-id.seq";

    /**
     * Takes the next node id of the fabric's sequence, under an exclusive file lock, and advances it. Ids go up by
     * one per launch and wrap after {@link #MAX_NODE_ID}, so that a closed or dead node's id is not handed to a new
     * node soon after: peers that still remember the old node (a pool controller with chunks lent to it, a queue
     * pair to it) would otherwise mistake the new node for it. A missing, unreadable or out-of-range sequence file
     * starts again at 1; the caller still skips ids whose control file exists.
     *
     * @return an id to try first, in 1..{@link #MAX_NODE_ID}.
     * @throws UncheckedIOException if the sequence file cannot be created or locked.
     */
    @SuppressWarnings("try") // the lock is held for the block, never referenced
    public int nextNodeIdHint()
    {
        final Path file = directory.resolve(NODE_ID_SEQUENCE_FILE);
        try
        {
            SharedFiles.createOwnerOnlyFileIfMissing(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock())
            {
                final ByteBuffer bytes = ByteBuffer.allocate(16);
                final int read = channel.read(bytes, 0);
                int next = 1;
                if (read > 0 && read < 16)
                {
                    try
                    {
                        next = Integer.parseInt(new String(bytes.array(), 0, read, StandardCharsets.US_ASCII).trim());
                    }
                    catch (final NumberFormatException ex)
                    {
                        next = 1; // input from outside the JVM: anything unexpected restarts the sequence
                    }
                }
                if (next < 1 || next > MAX_NODE_ID)
                {
                    next = 1;
                }
                final int following = next == MAX_NODE_ID ? 1 : next + 1;
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((following + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                return next;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot take a node id from " + file, ex);
        }
    }

    /**
     * @return the fabric's directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * @param nodeId a node.
     * @return the path of its control file.
     */
    public Path controlFile(final int nodeId)
    {
        return directory.resolve("node-" + nodeId + ".ctl");
    }

    /**
     * @param nodeId   a node.
     * @param regionId one of its regions.
     * @return the path of the region's file.
     */
    public Path regionFile(final int nodeId, final int regionId)
    {
        return directory.resolve("node-" + nodeId + ".region-" + regionId + ".mr");
    }

    /**
     * @param senderNodeId   the node that SENDs through the lane and creates its file.
     * @param laneId         the lane, unique among the sender's.
     * @param receiverNodeId the node that receives from it.
     * @return the path of the lane's file.
     */
    public Path laneFile(final int senderNodeId, final int laneId, final int receiverNodeId)
    {
        return directory.resolve("node-" + senderNodeId + ".lane-" + laneId + ".to-" + receiverNodeId + ".ring");
    }

    /**
     * @param receiverNodeId a node.
     * @return the lane files addressed to it, in no particular order.
     */
    public List<Path> laneFilesTo(final int receiverNodeId)
    {
        final List<Path> lanes = new ArrayList<>();
        for (final Path file : list())
        {
            final Matcher m = LANE_FILE.matcher(file.getFileName().toString());
            if (m.matches() && Integer.parseInt(m.group(2)) == receiverNodeId)
            {
                lanes.add(file);
            }
        }
        return lanes;
    }

    /**
     * @return ids of the nodes that have a control file here, alive or not, ascending.
     */
    public int[] nodeIds()
    {
        final List<Integer> ids = new ArrayList<>();
        for (final Path file : list())
        {
            final Matcher m = CONTROL_FILE.matcher(file.getFileName().toString());
            if (m.matches())
            {
                ids.add(Integer.parseInt(m.group(1)));
            }
        }
        return ids.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * @param nodeId a node.
     * @return ids of its region files, ascending.
     */
    public int[] regionIds(final int nodeId)
    {
        final List<Integer> ids = new ArrayList<>();
        for (final Path file : list())
        {
            final Matcher m = REGION_FILE.matcher(file.getFileName().toString());
            if (m.matches() && Integer.parseInt(m.group(1)) == nodeId)
            {
                ids.add(Integer.parseInt(m.group(2)));
            }
        }
        return ids.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * Removes the files of every node that is not alive: dead, closed, or whose control file is refused (stale or
     * corrupt); region files whose node has no control file; lane files whose receiver is not alive (no one will
     * read them again; a live receiver drains, then deletes, the lanes of dead senders); and control files left half
     * written under their temporary name by a process that died while starting a node. Files of live nodes are kept.
     *
     * @param livenessTimeoutMs heartbeat age beyond which a node counts as dead.
     * @return the names of the files removed.
     */
    public List<String> clean(final long livenessTimeoutMs)
    {
        final List<String> removed = new ArrayList<>();
        final long nowMs = System.currentTimeMillis();
        final List<Integer> live = new ArrayList<>();
        for (final int nodeId : nodeIds())
        {
            final Path file = controlFile(nodeId);
            boolean alive;
            try
            {
                final ControlFile controlFile = ControlFile.attach(file, nodeId, STARTING_NODE_GRACE_MS);
                alive = Liveness.evaluate(controlFile, nowMs, livenessTimeoutMs).state() == PeerState.ALIVE;
            }
            catch (final FabricFileException ex)
            {
                alive = false;
            }
            if (alive)
            {
                live.add(nodeId);
            }
            else if (SharedFiles.deleteIfExists(file))
            {
                removed.add(file.getFileName().toString());
            }
        }
        for (final Path file : list())
        {
            final String name = file.getFileName().toString();
            final Matcher region = REGION_FILE.matcher(name);
            final Matcher lane = LANE_FILE.matcher(name);
            final Matcher unpublished = UNPUBLISHED_CONTROL_FILE.matcher(name);
            final boolean orphan;
            if (region.matches())
            {
                orphan = !live.contains(Integer.parseInt(region.group(1)));
            }
            else if (lane.matches())
            {
                // Only the receiver decides: a live receiver still drains a dead sender's lane.
                orphan = !live.contains(Integer.parseInt(lane.group(2)));
            }
            else
            {
                orphan = unpublished.matches() && !isProcessAlive(Long.parseLong(unpublished.group(1)));
            }
            if (orphan && SharedFiles.deleteIfExists(file))
            {
                removed.add(name);
            }
        }
        return removed;
    }

    /**
     * {@link #clean(long) Cleans} the fabric, then removes what is left of it if no node is left: the node id sequence,
     * the files that services built on the transport keep here about the fabric's nodes (e.g. the pool's controller
     * locator, which names a node), and then the directory if that leaves it empty. With no node left, no peer
     * remembers an old node id (which is all the sequence guards against), and whatever names a node names one that is
     * gone.
     * <p>
     * A fabric is kept as it is while any control file is left, published (a live node) or still being written (a
     * node starting), and while its directory or its sequence changed in the last {@link #STARTING_NODE_GRACE_MS},
     * measured before cleaning: a node may have just created the directory or taken an id and not yet written its
     * control file. The directory itself is removed only if it is a fabric: one in the {@link #defaultRoot()}, or one
     * that held fabric files; someone's empty directory named by mistake is left. One race remains: a node that has
     * opened the fabric and not yet taken an id when the directory goes fails to start, and can be started again.
     *
     * @param livenessTimeoutMs heartbeat age beyond which a node counts as dead.
     * @param serviceFiles      tells the names of the files that services keep in the fabric about its nodes; they
     *                          are removed only with the fabric.
     * @return the names of the files removed; the directory was removed too if it no longer exists.
     */
    public List<String> cleanAndRemoveIfUnused(final long livenessTimeoutMs, final Predicate<String> serviceFiles)
    {
        final long nowMs = System.currentTimeMillis();
        final long lastChangeMs = Math.max(lastModifiedMs(directory),
            lastModifiedMs(directory.resolve(NODE_ID_SEQUENCE_FILE)));
        boolean heldFabricFiles = false;
        for (final Path file : list())
        {
            final String name = file.getFileName().toString();
            heldFabricFiles |= isFabricFile(name) || serviceFiles.test(name);
        }
        final List<String> removed = new ArrayList<>(clean(livenessTimeoutMs));
        if (nowMs - lastChangeMs < STARTING_NODE_GRACE_MS)
        {
            return removed;
        }
        final List<Path> left = list();
        for (final Path file : left)
        {
            final String name = file.getFileName().toString();
            if (CONTROL_FILE.matcher(name).matches() || UNPUBLISHED_CONTROL_FILE.matcher(name).matches())
            {
                return removed;
            }
        }
        for (final Path file : left)
        {
            final String name = file.getFileName().toString();
            if ((NODE_ID_SEQUENCE_FILE.equals(name) || serviceFiles.test(name)) && SharedFiles.deleteIfExists(file))
            {
                removed.add(name);
            }
        }
        // A symbolic link named as the fabric is the user's: deleting it would leave the directory and lose the link.
        if ((heldFabricFiles || defaultRoot().equals(directory.getParent())) && list().isEmpty() &&
            !Files.isSymbolicLink(directory))
        {
            try
            {
                Files.delete(directory);
            }
            catch (final DirectoryNotEmptyException | NoSuchFileException ex)
            {
                // a node came (it keeps the fabric), or another clean removed it first
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot remove fabric directory " + directory + ": " + ex, ex);
            }
        }
        return removed;
    }

    private static boolean isFabricFile(final String name)
    {
        return NODE_ID_SEQUENCE_FILE.equals(name) || CONTROL_FILE.matcher(name).matches() ||
            REGION_FILE.matcher(name).matches() || LANE_FILE.matcher(name).matches() ||
            UNPUBLISHED_CONTROL_FILE.matcher(name).matches();
    }

    private static long lastModifiedMs(final Path path)
    {
        try
        {
            return Files.getLastModifiedTime(path).toMillis();
        }
        catch (final NoSuchFileException ex)
        {
            return 0; // no such file: no recent change to wait for
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the modification time of " + path + ": " + ex, ex);
        }
    }

    private static boolean isProcessAlive(final long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * @return the files in the fabric's directory; none once the directory is gone (a clean may remove the fabric of a
     * node that is closing, after its control file says closed).
     */
    private List<Path> list()
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory))
        {
            for (final Path file : stream)
            {
                files.add(file);
            }
        }
        catch (final NoSuchFileException ex)
        {
            return files;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list fabric directory " + directory, ex);
        }
        return files;
    }

    @Override
    public String toString()
    {
        return "Fabric{" + directory + '}';
    }
}
