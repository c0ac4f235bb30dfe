package io.farline.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FabricTest
{
    @RegisterExtension
    final TestFabric fabric = new TestFabric();

    @TempDir
    Path scratch;

    @Test
    void shouldCreateOwnerOnlyDirectoryAndFiles() throws IOException
    {
        try (Node node = fabric.launch())
        {
            final RegisteredRegion region = node.registerRegion(4096, AccessFlags.ALL);
            assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(fabric.fabric().directory())));
            assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(fabric.fabric().controlFile(node.nodeId()))));
            assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(fabric.fabric().regionFile(node.nodeId(), region.regionId()))));
        }
    }

    @Test
    void shouldUseAnExistingDirectoryWithoutChangingItsMode() throws IOException
    {
        final Path directory = Files.createDirectory(scratch.resolve("mine"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-x---"));
        try (Node node = Node.launch(new NodeConfig().fabric(Fabric.at(directory))))
        {
            assertEquals(1, node.nodeId());
        }
        assertEquals("rwxr-x---", mode(directory), "an existing directory is not chmodded");
        assertEquals("rwxr-x---", mode(Fabric.openExisting(directory).directory()));

        final Path created = scratch.resolve("new").resolve("fabric");
        Fabric.at(created);
        assertEquals("rwx------", mode(created), "what is created is 0700");
        assertEquals("rwx------", mode(created.getParent()), "missing parents too");
    }

    @Test
    void shouldRefuseAPathThatIsNotADirectoryAndLeaveItAsItIs() throws IOException
    {
        final Path file = Files.writeString(scratch.resolve("regular-file"), "not a fabric");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        FabricFileException ex = assertThrows(FabricFileException.class, () -> Fabric.at(file));
        assertEquals("refused " + file + ": exists and is not a directory, so it cannot hold a fabric",
            ex.getMessage());
        ex = assertThrows(FabricFileException.class, () -> Fabric.at(file.resolve("sub")));
        assertEquals("refused " + file + ": exists and is not a directory, so it cannot hold a fabric (" +
            file.resolve("sub") + ")", ex.getMessage());
        ex = assertThrows(FabricFileException.class, () -> Fabric.openExisting(file));
        assertTrue(ex.getMessage().contains("not a directory"), ex.getMessage());
        assertEquals("rw-r--r--", mode(file), "the file is not chmodded");
        assertEquals("not a fabric", Files.readString(file));

        final Path missing = scratch.resolve("missing");
        ex = assertThrows(FabricFileException.class, () -> Fabric.openExisting(missing));
        assertEquals("refused " + missing + ": no such fabric directory", ex.getMessage());
        assertFalse(Files.exists(missing), "opening an existing fabric creates nothing");
    }

    @Test
    void shouldRefuseAnExistingDirectoryThatGroupOrOthersCanWrite() throws IOException
    {
        final Path directory = Files.createDirectory(scratch.resolve("shared"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        final String owner = Files.getOwner(directory).getName();

        final FabricFileException ex = assertThrows(FabricFileException.class, () -> Fabric.at(directory));
        assertTrue(ex.getMessage().startsWith("refused " + directory + ": owned by " + owner +
            " with mode rwxrwxrwx: group or others can write to it"), ex.getMessage());
        assertThrows(FabricFileException.class, () -> Fabric.openExisting(directory));
        assertEquals("rwxrwxrwx", mode(directory), "a refused directory is left as it is");
        assertEquals(List.of(), Files.list(directory).toList(), "nothing is created in it");

        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx-w----"));
        assertThrows(FabricFileException.class, () -> Fabric.at(directory), "group-writable");
    }

    @Test
    void shouldRefuseADefaultRootThatGroupOrOthersCanWrite() throws IOException
    {
        final String user = System.getProperty("user.name");
        System.setProperty("user.name", "fabric-test-" + System.nanoTime());
        try
        {
            final Path root = Fabric.defaultRoot();
            Files.createDirectory(root);
            try
            {
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
                final FabricFileException ex = assertThrows(FabricFileException.class, () -> Fabric.open("f"));
                assertTrue(ex.getMessage().startsWith("refused " + root + ": owned by " +
                    Files.getOwner(root).getName() + " with mode rwxrwxrwx: group or others can write to it"),
                    ex.getMessage());
                assertFalse(Files.exists(root.resolve("f")), "no fabric is created in a refused root");
                assertThrows(FabricFileException.class, () -> Fabric.at(root.resolve("f")));
                assertThrows(FabricFileException.class, () -> Fabric.openExisting(root.resolve("f")));

                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
                assertEquals(root.resolve("f"), Fabric.open("f").directory(), "the owner's own 0700 root is used");
                Files.delete(root.resolve("f"));
            }
            finally
            {
                Files.delete(root);
            }
        }
        finally
        {
            System.setProperty("user.name", user);
        }
    }

    @Test
    void shouldRefuseAnExistingDirectoryOwnedByAnotherUser() throws IOException
    {
        final Path directory = Files.createDirectory(scratch.resolve("theirs"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        final UserPrincipal nobody;
        try
        {
            nobody = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(directory, nobody);
        }
        catch (final IOException ex)
        {
            assumeTrue(false, "cannot give a directory to user nobody here (not root?): " + ex);
            return;
        }
        final FabricFileException ex = assertThrows(FabricFileException.class, () -> Fabric.at(directory));
        assertTrue(ex.getMessage().startsWith("refused " + directory + ": owned by nobody with mode rwx------: it " +
            "must belong to "), ex.getMessage());
    }

    @Test
    void shouldRejectBadFabricNames()
    {
        for (final String name : new String[]{ "", "..", "a/b", ".hidden", "x".repeat(65), null })
        {
            assertThrows(IllegalArgumentException.class, () -> Fabric.defaultDirectory(name), "name " + name);
        }
        assertTrue(Fabric.defaultDirectory("ok-name_1.2").toString().endsWith("ok-name_1.2"));
    }

    @Test
    void shouldAllocateLowestFreeNodeIdsAndRefuseATakenOne()
    {
        try (Node first = fabric.launch(); Node second = fabric.launch())
        {
            assertEquals(1, first.nodeId());
            assertEquals(2, second.nodeId());
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> fabric.launch(new NodeConfig().nodeId(2)));
            assertTrue(ex.getMessage().contains("node id 2 is taken"), ex.getMessage());
            assertArrayEquals(new int[]{ 1, 2 }, fabric.fabric().nodeIds());
        }
    }

    @Test
    void shouldIgnoreForeignFilesAndKeepLiveNodesWhenCleaning() throws IOException
    {
        fabric.expectLeftovers();
        Files.writeString(fabric.fabric().directory().resolve("notes.txt"), "not ours");
        Files.write(fabric.fabric().controlFile(9), new byte[100]);
        Files.write(fabric.fabric().directory().resolve("node-7.ctl.999999999-1.tmp"), new byte[10]);
        final String starting = "node-8.ctl." + ProcessHandle.current().pid() + "-1.tmp";
        Files.write(fabric.fabric().directory().resolve(starting), new byte[10]);
        try (Node node = fabric.launch())
        {
            node.registerRegion(4096, AccessFlags.ALL);
            assertArrayEquals(new int[]{ 1, 9 }, fabric.fabric().nodeIds());
            final List<String> removed = fabric.fabric().clean(1000);
            assertEquals(List.of("node-7.ctl.999999999-1.tmp", "node-9.ctl"), removed.stream().sorted().toList(),
                "the corrupt file and a dead starter's half-written file go");
            assertEquals(List.of("node-1.ctl", "node-1.region-1.mr", starting, "notes.txt"), fabric.files(),
                "the live node stays, and so does a file a live process is still writing");
        }
    }

    @Test
    void shouldRemoveAFabricThatNoNodeIsLeftInWithItsBookkeeping() throws IOException
    {
        final Fabric left = Fabric.at(scratch.resolve("left"));
        Node.launch(new NodeConfig().fabric(left)).close();
        Files.write(left.controlFile(9), new byte[100]); // refused, so dead
        Files.writeString(left.directory().resolve("service-locator"), "names node 9");
        assertEquals(List.of("node-9.ctl"), left.cleanAndRemoveIfUnused(1000, "service-locator"::equals),
            "the sequence changed just now (a node may be starting): only the dead node's file goes");
        assertTrue(Files.exists(left.directory().resolve(Fabric.NODE_ID_SEQUENCE_FILE)));

        quietSinceTenSeconds(left);
        assertEquals(List.of("node-id.seq", "service-locator"),
            left.cleanAndRemoveIfUnused(1000, "service-locator"::equals).stream().sorted().toList());
        assertFalse(Files.exists(left.directory()), "the directory goes with its last files");
    }

    @Test
    void shouldKeepTheBookkeepingOfAFabricWithANodeLeft() throws IOException
    {
        final Path directory = scratch.resolve("used");
        try (Node node = Node.launch(new NodeConfig().fabric(Fabric.at(directory))))
        {
            Files.writeString(directory.resolve("service-locator"), "names node " + node.nodeId());
            quietSinceTenSeconds(node.fabric());
            assertEquals(List.of(), node.fabric().cleanAndRemoveIfUnused(1000, "service-locator"::equals));
            assertTrue(Files.exists(directory.resolve(Fabric.NODE_ID_SEQUENCE_FILE)));
            assertTrue(Files.exists(directory.resolve("service-locator")));
        }
        final Path starting = Files.write(directory.resolve("node-8.ctl." + ProcessHandle.current().pid() +
            "-1.tmp"), new byte[10]);
        quietSinceTenSeconds(Fabric.openExisting(directory));
        assertEquals(List.of(), Fabric.openExisting(directory).cleanAndRemoveIfUnused(1000, name -> false),
            "a node still writing its control file keeps the fabric");
        Files.delete(starting);
    }

    @Test
    void shouldLeaveADirectoryThatIsNotAFabric() throws IOException
    {
        final Fabric empty = Fabric.at(Files.createDirectory(scratch.resolve("empty")));
        quietSinceTenSeconds(empty);
        assertEquals(List.of(), empty.cleanAndRemoveIfUnused(1000, name -> false));
        assertTrue(Files.isDirectory(empty.directory()), "an empty directory outside the default root is not a fabric");

        final Fabric notes = Fabric.at(Files.createDirectory(scratch.resolve("notes")));
        Node.launch(new NodeConfig().fabric(notes)).close();
        Files.writeString(notes.directory().resolve("notes.txt"), "not ours");
        quietSinceTenSeconds(notes);
        assertEquals(List.of("node-id.seq"), notes.cleanAndRemoveIfUnused(1000, name -> false));
        assertEquals(List.of("notes.txt"), Files.list(notes.directory()).map(p -> p.getFileName().toString()).toList(),
            "foreign files, and so the directory, stay");
    }

    @Test
    void shouldRejectBadNodeConfiguration()
    {
        assertThrows(IllegalArgumentException.class, () -> new NodeConfig().nodeId(-1));
        assertThrows(IllegalArgumentException.class, () -> new NodeConfig().nodeId(Fabric.MAX_NODE_ID + 1));
        assertThrows(IllegalArgumentException.class, () -> new NodeConfig().inboxCapacityBytes(5000));
        assertThrows(IllegalArgumentException.class, () -> new NodeConfig().livenessTimeoutMs(0));
        assertThrows(IllegalArgumentException.class, () -> new NodeConfig().heartbeatIntervalMs(0));
        assertThrows(IllegalArgumentException.class, () -> new NodeConfig().linkModel(null));
        assertThrows(IllegalArgumentException.class, () -> new LinkModel(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> Node.launch(new NodeConfig()));
    }

    @Test
    void shouldTellListenersOfPeersThatJoinAndClose() throws InterruptedException
    {
        try (Node watcher = fabric.launch(new NodeConfig().heartbeatIntervalMs(10)))
        {
            final BlockingQueue<String> events = new LinkedBlockingQueue<>();
            watcher.addPeerListener((nodeId, previous, current, reason) -> events.add(nodeId + ":" + current));
            final Node other = fabric.launch();
            assertEquals(other.nodeId() + ":ALIVE", events.poll(5, TimeUnit.SECONDS));
            other.close();
            assertEquals(other.nodeId() + ":CLOSED", events.poll(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldNotHandOutTheIdOfANodeThatJustClosed()
    {
        final Node first = fabric.launch();
        final int firstId = first.nodeId();
        first.close();
        final Node second = fabric.launch();
        assertTrue(second.nodeId() != firstId, "node " + firstId + " was handed out again at once");
        second.close();
    }

    @Test
    void shouldRestartTheIdSequenceWhenItsFileIsGarbage() throws Exception
    {
        Files.writeString(fabric.fabric().directory().resolve(Fabric.NODE_ID_SEQUENCE_FILE),
            "not a number");
        assertEquals(1, fabric.fabric().nextNodeIdHint());
        assertEquals(2, fabric.fabric().nextNodeIdHint());
    }

    /**
     * Dates the fabric's directory and sequence ten seconds back, as if no node had started there for that long.
     */
    private static void quietSinceTenSeconds(final Fabric fabric) throws IOException
    {
        final FileTime past = FileTime.fromMillis(System.currentTimeMillis() - 10_000);
        final Path sequence = fabric.directory().resolve(Fabric.NODE_ID_SEQUENCE_FILE);
        if (Files.exists(sequence))
        {
            Files.setLastModifiedTime(sequence, past);
        }
        Files.setLastModifiedTime(fabric.directory(), past);
    }

    @Test
    void shouldCloseANodeWhoseFabricACleanRemovesWhileItCloses() throws Exception
    {
        // A node marks itself closed before the rest of its close; a clean in that window removes its control file,
        // the bookkeeping and the directory, and the close must still finish.
        for (int round = 0; round < 3; round++)
        {
            final Path directory = scratch.resolve("closing-" + round);
            final Node node = Node.launch(new NodeConfig().fabric(Fabric.at(directory)));
            Thread.sleep(Fabric.STARTING_NODE_GRACE_MS + 100); // an idle node: the directory is past its grace
            final AtomicBoolean stop = new AtomicBoolean();
            final Thread cleaner = new Thread(() ->
            {
                while (!stop.get() && Files.isDirectory(directory))
                {
                    try
                    {
                        Fabric.openExisting(directory).cleanAndRemoveIfUnused(1000, name -> false);
                    }
                    catch (final RuntimeException ex)
                    {
                        return; // the directory went between the test and the open
                    }
                }
            });
            cleaner.start();
            try
            {
                node.close();
            }
            finally
            {
                stop.set(true);
                cleaner.join();
            }
            assertTrue(node.isClosed(), "round " + round);
        }
    }

    @Test
    void shouldLeaveALinkToAFabricAndItsDirectoryWhenCleaningThroughTheLink() throws Exception
    {
        final Path real = scratch.resolve("real");
        try (Node node = Node.launch(new NodeConfig().fabric(Fabric.at(real))))
        {
            assertTrue(node.nodeId() > 0);
        }
        final Path link = Files.createSymbolicLink(scratch.resolve("link"), real);
        Thread.sleep(Fabric.STARTING_NODE_GRACE_MS + 100);
        Fabric.openExisting(link).cleanAndRemoveIfUnused(1000, name -> false);
        assertTrue(Files.isSymbolicLink(link), "the user's link was removed in place of the fabric");
        assertTrue(Files.isDirectory(real));
    }

    private static String mode(final Path path) throws IOException
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
