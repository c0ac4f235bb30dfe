package io.farline.cli;

import io.farline.transport.AccessFlags;
import io.farline.transport.ChildProcess;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.PeerState;
import io.farline.transport.QueuePair;
import io.farline.transport.RegisteredRegion;
import io.farline.transport.RemoteRegion;
import io.farline.transport.TestFabric;
import io.farline.transport.control.ControlFile;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatCommandTest
{
    @RegisterExtension
    final TestFabric fabric = new TestFabric();

    @TempDir
    Path scratch;

    @Test
    void shouldShowEveryNodeAliveOrDeadWithPerVerbCounters() throws Exception
    {
        fabric.expectLeftovers();
        try (Node node = fabric.launch(new NodeConfig().heartbeatIntervalMs(20)))
        {
            final ChildProcess child = new ChildProcess(fabric.fabric(), "serve");
            final QueuePair qp = node.connect(child.nodeId());
            final RemoteRegion remote = qp.attach(child.handle());
            final UnsafeBuffer local = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
            for (int i = 0; i < 3; i++)
            {
                qp.write(local, 0, 4096, remote, 0);
            }
            qp.fetchAndAdd(remote, 0, 1);
            final RegisteredRegion region = node.registerRegion(4096, AccessFlags.ALL);
            child.kill();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (qp.peerState() != PeerState.DEAD && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }

            final String out = stat();
            assertTrue(out.contains("2 node(s)"), out);
            assertTrue(out.matches("(?s).*node " + node.nodeId() + " +pid \\d+ +ALIVE.*"), out);
            assertTrue(out.matches("(?s).*node " + child.nodeId() + " +pid \\d+ +DEAD \\(process \\d+ is gone\\).*"),
                out);
            assertTrue(out.matches("(?s).*WRITE +3 +12\\.0 KiB +0.*"), out);
            assertTrue(out.matches("(?s).*FETCH_AND_ADD +1 +8 B +0.*"), out);
            region.close();

            final ByteArrayOutputStream cleaned = new ByteArrayOutputStream();
            assertEquals(FarlineMain.EXIT_OK, CleanCommand.run(new String[]{ fabric.fabric().directory().toString() },
                new PrintStream(cleaned, true, StandardCharsets.UTF_8)));
            assertTrue(cleaned.toString(StandardCharsets.UTF_8).contains("2 file(s) removed"), cleaned.toString());
            assertTrue(stat().contains("1 node(s)"), "the live node stays");
        }
    }

    @Test
    void shouldRefuseANodeWhoseCountersAreCorruptAndGoOnWithTheOthers()
    {
        try (Node corrupt = fabric.launch(); Node sound = fabric.launch())
        {
            final ControlFile file =
                ControlFile.attach(fabric.fabric().controlFile(corrupt.nodeId()), corrupt.nodeId(), 0);
            final int labelLengthOffset = CountersReader.metaDataOffset(1) + CountersReader.LABEL_OFFSET;
            final int labelLength = file.countersMetadataBuffer().getInt(labelLengthOffset);
            file.countersMetadataBuffer().putInt(labelLengthOffset, -1);
            try
            {
                final String out = stat();
                assertTrue(out.contains("2 node(s)"), out);
                assertTrue(out.matches("(?s).*node " + corrupt.nodeId() + " +pid \\d+ +ALIVE[^\n]*\n    refused " +
                    Pattern.quote(file.file().toString()) + ": counter 1 has label length -1, outside 0..380: " +
                    "corrupt counters metadata\n" +
                    "  node " + sound.nodeId() + " .*"), out);
                assertTrue(out.matches("(?s).*node " + sound.nodeId() + " +pid \\d+ +ALIVE.*\n    WRITE +0 .*"), out);
            }
            finally
            {
                file.countersMetadataBuffer().putInt(labelLengthOffset, labelLength);
            }
        }
    }

    @Test
    void shouldNeitherCreateNorChmodAnythingWhenShowingADirectory() throws IOException
    {
        final Path directory = Files.createDirectory(scratch.resolve("user-directory"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(directory.resolve("notes.txt"), "mine");

        final CliRun run = CliRun.of("stat", "--once", directory.toString());
        assertEquals(FarlineMain.EXIT_OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("0 node(s)"), run.out());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)),
            "stat only reads");
        try (var files = Files.list(directory))
        {
            assertEquals(List.of("notes.txt"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    private String stat()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(FarlineMain.EXIT_OK, StatCommand.run(new String[]{ fabric.fabric().directory().toString() },
            new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
