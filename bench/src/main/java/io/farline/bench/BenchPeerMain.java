package io.farline.bench;

import io.farline.transport.AccessFlags;
import io.farline.transport.Fabric;
import io.farline.transport.Node;
import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import io.farline.transport.RegisteredRegion;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

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
 *     <li>{@code echo <fabricDir> <parentNodeId>}: launches a node, connects to the parent's node, prints
 *     {@code READY <nodeId>} and sends every message it receives back to the parent, busy-spinning.</li>
 *     <li>{@code ring-echo <file> <capacityBytes>}: maps two raw {@link OneToOneRingBuffer}s made by
 *     {@link MappedRings#create} (0: parent to child, 1: child to parent), prints {@code READY} and writes every
 *     message read from ring 0 into ring 1, busy-spinning.</li>
 * </ul>
 */
public final class BenchPeerMain
{
    static final String READY = "READY";
    static final String MODE_REGION = "region";
    static final String MODE_ECHO = "echo";
    static final String MODE_RING_ECHO = "ring-echo";

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
        if (args.length != 3)
        {
            throw new IllegalArgumentException("usage: region <fabricDir> <lengthBytes> | echo <fabricDir> " +
                "<parentNodeId> | ring-echo <file> <capacityBytes>");
        }
        switch (args[0])
        {
            case MODE_REGION:
                hostRegion(Paths.get(args[1]), Long.parseLong(args[2]));
                break;
            case MODE_ECHO:
                echo(Paths.get(args[1]), Integer.parseInt(args[2]));
                break;
            case MODE_RING_ECHO:
                ringEcho(Paths.get(args[1]), Integer.parseInt(args[2]));
                break;
            default:
                throw new IllegalArgumentException("unknown mode " + args[0]);
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

    private static void echo(final Path fabricDirectory, final int parentNodeId)
    {
        try (Node node = Node.launch(BenchNodes.config(Fabric.at(fabricDirectory))))
        {
            final QueuePair queuePair = node.connect(parentNodeId);
            final MessageHandler echo = (senderNodeId, buffer, index, length) ->
            {
                int result;
                while ((result = queuePair.send(buffer, index, length)) == QueuePair.BACK_PRESSURED && running)
                {
                    Thread.onSpinWait();
                }
                if (result == QueuePair.PEER_DEAD)
                {
                    // The parent closed its node or died: nobody is left to echo to.
                    running = false;
                }
            };
            startEndOfInputWatcher();
            ready(Integer.toString(node.nodeId()));
            while (running)
            {
                if (node.receive(echo, ECHO_LIMIT) == 0)
                {
                    Thread.onSpinWait();
                }
            }
        }
    }

    private static void ringEcho(final Path file, final int capacityBytes)
    {
        final MappedByteBuffer mapping = MappedRings.attach(file);
        final OneToOneRingBuffer ping = new OneToOneRingBuffer(MappedRings.ring(mapping, 0, capacityBytes));
        final OneToOneRingBuffer pong = new OneToOneRingBuffer(MappedRings.ring(mapping, 1, capacityBytes));
        final MessageHandler echo = (msgTypeId, buffer, index, length) ->
        {
            while (!pong.write(msgTypeId, buffer, index, length) && running)
            {
                Thread.onSpinWait();
            }
        };
        startEndOfInputWatcher();
        ready("");
        while (running)
        {
            if (ping.read(echo, ECHO_LIMIT) == 0)
            {
                Thread.onSpinWait();
            }
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
