package io.farline.bench;

import io.farline.transport.Fabric;
import io.farline.transport.Node;
import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import io.farline.transport.RemoteRegion;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;

/**
 * The subject side of the one-sided benchmarks: a region registered with {@code AccessFlags.ALL} by a node in
 * another process (a {@link BenchPeerMain} {@code region} peer), attached to a queue pair of a node in this JVM, and
 * a page-aligned local buffer to write from and read into. One per trial; one benchmark thread uses it (queue pairs
 * are single-threaded).
 */
@State(Scope.Benchmark)
public class ChildRegionState
{
    /** Length of the remote and baseline regions. */
    public static final int REGION_LENGTH_BYTES = 1 << 20;
    /** Length and alignment of the local buffer. */
    public static final int LOCAL_LENGTH_BYTES = 4096;

    TrialDirectory directory;
    ChildPeer peer;
    Node node;
    QueuePair queuePair;
    RemoteRegion remote;
    UnsafeBuffer local;

    /**
     * Starts the peer, launches this JVM's node, connects and attaches.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        directory = TrialDirectory.create();
        try
        {
            final Path fabricDirectory = directory.resolve("fabric");
            final Fabric fabric = Fabric.at(fabricDirectory);
            peer = ChildPeer.start(BenchPeerMain.MODE_REGION, fabricDirectory.toString(),
                Integer.toString(REGION_LENGTH_BYTES));
            final String[] fields = peer.readyFields();
            final RegionHandle handle = new RegionHandle(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]),
                Long.parseLong(fields[2]), Long.parseLong(fields[3]));
            node = Node.launch(BenchNodes.config(fabric));
            queuePair = node.connect(handle.nodeId());
            remote = queuePair.attach(handle);
            local = new UnsafeBuffer(BufferUtil.allocateDirectAligned(LOCAL_LENGTH_BYTES, LOCAL_LENGTH_BYTES));
            for (int i = 0; i < LOCAL_LENGTH_BYTES; i++)
            {
                local.putByte(i, (byte)i);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            tearDown();
            throw ex;
        }
    }

    /**
     * Closes this JVM's node, stops the peer (which closes its node) and deletes the trial directory.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        CloseHelper.closeAll(node, peer, directory);
    }
}
