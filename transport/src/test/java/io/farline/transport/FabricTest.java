package io.farline.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FabricTest
{
    @RegisterExtension
    final TestFabric fabric = new TestFabric();

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
}
