package io.farline.cli.demo;

import io.farline.transport.AccessFlags;
import io.farline.transport.Fabric;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.PeerState;
import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import io.farline.transport.RegisteredRegion;
import io.farline.transport.RemoteRegion;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import static io.farline.cli.demo.DemoProtocol.*;

/**
 * A peer of the transport demo, in a child JVM: registers a region, says HELLO to the coordinator, and answers its
 * requests until BYE. Usage: {@code farline demo-peer <fabricDir> <coordinatorNodeId>}.
 */
public final class TransportDemoPeer
{
    private static final long IDLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final Node node;
    private final QueuePair toCoordinator;
    private final RegisteredRegion region;
    private final UnsafeBuffer message = newMessageBuffer();
    private long expectedSequence;
    private long outOfOrder;
    private boolean done;

    private TransportDemoPeer(final Node node, final int coordinatorNodeId)
    {
        this.node = node;
        this.toCoordinator = node.connect(coordinatorNodeId);
        this.region = node.registerRegion(PEER_REGION_LENGTH, AccessFlags.ALL);
    }

    /**
     * @param args fabric directory and coordinator node id.
     * @return the exit code.
     */
    public static int run(final String[] args)
    {
        if (args.length != 2)
        {
            System.err.println("usage: farline demo-peer <fabricDir> <coordinatorNodeId>");
            return 2;
        }
        try (Node node = Node.launch(new NodeConfig().fabric(Fabric.at(Paths.get(args[0])))))
        {
            return new TransportDemoPeer(node, Integer.parseInt(args[1])).serve();
        }
    }

    private int serve()
    {
        sendReliably(toCoordinator, message, encode(message, HELLO, region.handle(), 0), node);
        long lastWorkNs = System.nanoTime();
        while (!done)
        {
            if (node.receive(this::onMessage, 64) > 0)
            {
                lastWorkNs = System.nanoTime();
            }
            else if (System.nanoTime() - lastWorkNs > IDLE_TIMEOUT_NS)
            {
                System.err.println("demo peer " + node.nodeId() + ": no word from the coordinator for 60 s, exiting");
                return 1;
            }
            else if (toCoordinator.peerState() != PeerState.ALIVE)
            {
                System.err.println("demo peer " + node.nodeId() + ": coordinator is " + toCoordinator.peerState());
                return 1;
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        return 0;
    }

    private void onMessage(final int senderNodeId, final DirectBuffer buffer, final int index, final int length)
    {
        final int type = buffer.getInt(index);
        switch (type)
        {
            case ATOMICS:
                doAtomics(RegionHandle.decode(buffer, index + 4),
                    buffer.getLong(index + 4 + RegionHandle.ENCODED_LENGTH));
                break;
            case STREAM:
                if (buffer.getLong(index + 4) != expectedSequence)
                {
                    outOfOrder++;
                }
                expectedSequence++;
                break;
            case STREAM_END:
                final long sent = buffer.getLong(index + 4);
                final long inOrder = outOfOrder == 0 && expectedSequence == sent ? expectedSequence : -outOfOrder;
                sendReliably(toCoordinator, message, encode(message, STREAM_OK, inOrder), node);
                break;
            case CHECK:
                sendReliably(toCoordinator, message, encode(message, CHECK_OK, checkPattern(buffer.getLong(index + 4))),
                    node);
                break;
            case BYE:
                done = true;
                break;
            default:
                System.err.println("demo peer " + node.nodeId() + ": unknown message type " + type);
        }
    }

    private void doAtomics(final RegionHandle coordinatorRegion, final long count)
    {
        final RemoteRegion remote = toCoordinator.attach(coordinatorRegion);
        for (long i = 0; i < count; i++)
        {
            toCoordinator.fetchAndAdd(remote, FETCH_ADD_OFFSET, 1);
            long seen = toCoordinator.compareAndSwap(remote, CAS_OFFSET, 0, 0);
            long previous;
            while ((previous = toCoordinator.compareAndSwap(remote, CAS_OFFSET, seen, seen + 1)) != seen)
            {
                seen = previous; // lost the race to the other peer: retry with what we found
            }
        }
        sendReliably(toCoordinator, message, encode(message, ATOMICS_DONE, count), node);
    }

    private long checkPattern(final long seed)
    {
        final DirectBuffer data = region.readOnlyBuffer();
        for (int i = 0; i < PATTERN_LENGTH; i++)
        {
            if (data.getByte(i) != patternByte(seed, i))
            {
                return 0;
            }
        }
        return 1;
    }
}
