package io.farline.bench;

import io.farline.transport.AccessFlags;
import io.farline.transport.Fabric;
import io.farline.transport.Node;
import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import io.farline.transport.RegisteredRegion;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The peer process of the cross-process benchmarks, started by {@link ChildPeer} in a child JVM. It prints one line
 * starting with {@link #READY} on standard output when it is ready, then runs until its standard input reaches end
 * of file, which happens when the benchmark closes it or when the benchmark JVM dies: no peer outlives its parent.
 * <p>
 * Modes:
 * <ul>
 *     <li>{@code region <fabricDir> <lengthBytes>}: launches a node, registers a region with
 *     {@link AccessFlags#ALL} and prints {@code READY <nodeId> <regionId> <rkey> <lengthBytes>}; then idles (the
 *     benchmark's one-sided verbs need no CPU here).</li>
 *     <li>{@code paired-echo <fabricDir> <parentNodeId> <ringFile> <ringCapacityBytes>}: launches a node connected
 *     to the parent's node and maps four raw rings made by {@link MappedRings#create}: one-to-one 0 (parent to
 *     child) and 1 (back), many-to-one 2 (parent to child) and 3 (back). It prints {@code READY <nodeId>}, then in
 *     one busy-spinning loop sends every message its node receives back to the parent node, and echoes ring 0 into
 *     ring 1 and ring 2 into ring 3.</li>
 * </ul>
 */
public final class BenchPeerMain
{
    static final String READY = "READY";
    static final String MODE_REGION = "region";
    static final String MODE_PAIRED_ECHO = "paired-echo";

    /** Messages taken per poll by the echo loops. */
    private static final int ECHO_LIMIT = 16;

    private static volatile boolean running = true;

    private BenchPeerMain()
    {
    }

    /**
     * @param args the mode and its arguments, see the class description.
     */
    public static void main(final String[] args)
    {
        if (args.length == 3 && MODE_REGION.equals(args[0]))
        {
            hostRegion(Paths.get(args[1]), Long.parseLong(args[2]));
        }
        else if (args.length == 5 && MODE_PAIRED_ECHO.equals(args[0]))
        {
            pairedEcho(Paths.get(args[1]), Integer.parseInt(args[2]), Paths.get(args[3]), Integer.parseInt(args[4]));
        }
        else
        {
            throw new IllegalArgumentException("usage: region <fabricDir> <lengthBytes> | paired-echo <fabricDir> " +
                "<parentNodeId> <ringFile> <ringCapacityBytes>");
        }
        System.exit(0);
    }

    private static void hostRegion(final Path fabricDirectory, final long lengthBytes)
    {
        try (Node node = Node.launch(BenchNodes.config(Fabric.at(fabricDirectory))))
        {
            final RegisteredRegion region = node.registerRegion(lengthBytes, AccessFlags.ALL);
            final RegionHandle handle = region.handle();
            ready(handle.nodeId() + " " + handle.regionId() + " " + handle.rkey() + " " + handle.lengthBytes());
            awaitEndOfInput();
        }
    }

    /**
     * Echoes both ways at once for the paired ping-pong: messages to this node go back to the parent node, messages
     * on raw ring 0 go back on raw ring 1. One loop polls both, so both round trips meet the same process placement.
     */
    private static void pairedEcho(
        final Path fabricDirectory, final int parentNodeId, final Path ringFile, final int capacityBytes)
    {
        final MappedByteBuffer mapping = MappedRings.attach(ringFile);
        final RingBuffer ping = new OneToOneRingBuffer(MappedRings.ring(mapping, 0, capacityBytes));
        final RingBuffer pong = new OneToOneRingBuffer(MappedRings.ring(mapping, 1, capacityBytes));
        final RingBuffer manyToOnePing = new ManyToOneRingBuffer(MappedRings.ring(mapping, 2, capacityBytes));
        final RingBuffer manyToOnePong = new ManyToOneRingBuffer(MappedRings.ring(mapping, 3, capacityBytes));
        final MessageHandler ringEcho = (msgTypeId, buffer, index, length) -> echo(pong, msgTypeId, buffer, index,
            length);
        final MessageHandler manyToOneEcho = (msgTypeId, buffer, index, length) -> echo(manyToOnePong, msgTypeId,
            buffer, index, length);
        try (Node node = Node.launch(BenchNodes.config(Fabric.at(fabricDirectory))))
        {
            final QueuePair queuePair = node.connect(parentNodeId);
            final MessageHandler nodeEcho = (senderNodeId, buffer, index, length) ->
            {
                int result;
                while ((result = queuePair.send(buffer, index, length)) == QueuePair.BACK_PRESSURED && running)
                {
                    Thread.onSpinWait();
                }
                if (result == QueuePair.PEER_DEAD)
                {
                    running = false;
                }
            };
            startEndOfInputWatcher();
            ready(Integer.toString(node.nodeId()));
            while (running)
            {
                if (node.receive(nodeEcho, ECHO_LIMIT) + ping.read(ringEcho, ECHO_LIMIT) +
                    manyToOnePing.read(manyToOneEcho, ECHO_LIMIT) == 0)
                {
                    Thread.onSpinWait();
                }
            }
        }
    }

    private static void echo(final RingBuffer ring, final int msgTypeId, final DirectBuffer buffer, final int index,
        final int length)
    {
        while (!ring.write(msgTypeId, buffer, index, length) && running)
        {
            Thread.onSpinWait();
        }
    }

    private static void ready(final String fields)
    {
        System.out.println(fields.isEmpty() ? READY : READY + " " + fields);
        System.out.flush();
    }

    private static void startEndOfInputWatcher()
    {
        final Thread watcher = new Thread(BenchPeerMain::awaitEndOfInput, "bench-peer-stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void awaitEndOfInput()
    {
        final InputStream in = System.in;
        try
        {
            while (in.read() != -1)
            {
                // Nothing is sent on standard input; it only tells us when the parent is gone.
            }
        }
        catch (final IOException ignore)
        {
            // A broken pipe means the same as end of file.
        }
        running = false;
    }
}
