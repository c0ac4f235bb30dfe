package io.farline.cli.demo;

import io.farline.cli.Units;
import io.farline.cli.UsageException;
import io.farline.transport.AccessFlags;
import io.farline.transport.CompletionHandler;
import io.farline.transport.CompletionStatus;
import io.farline.transport.Fabric;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import io.farline.transport.RegisteredRegion;
import io.farline.transport.RemoteRegion;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.farline.cli.demo.DemoProtocol.*;
import static io.farline.cli.demo.DemoSession.number;
import static io.farline.cli.demo.DemoSession.step;

/**
 * {@code farline demo}: the transport across real processes. Starts peer JVMs on a fresh fabric, then exercises
 * one-sided WRITE and READ, contended compare-and-swap and fetch-and-add, and SEND/RECV between them, verifying every
 * result, and prints a summary. Child processes and the fabric's files are removed on success, failure or Ctrl-C.
 */
public final class TransportDemo
{
    private static final long STEP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int CHUNK = 4096;

    private final int peers;
    private final long messages;
    private final long atomics;
    private final Node node;
    private final DemoSession session;
    private final Int2ObjectHashMap<RegionHandle> peerRegions = new Int2ObjectHashMap<>();
    private final Int2IntHashMap replies = new Int2IntHashMap(-1);
    private final Long2LongHashMap replyValues = new Long2LongHashMap(Long.MIN_VALUE);
    private final Int2ObjectHashMap<QueuePair> queuePairs = new Int2ObjectHashMap<>();
    private final UnsafeBuffer message = newMessageBuffer();
    private long sent;

    private TransportDemo(final int peers, final long messages, final long atomics, final Node node,
        final DemoSession session)
    {
        this.peers = peers;
        this.messages = messages;
        this.atomics = atomics;
        this.node = node;
        this.session = session;
    }

    /**
     * @param args the demo's options.
     * @return the exit code: 0 only if everything verified.
     */
    public static int run(final String[] args)
    {
        int peers = 2;
        long messages = 200_000;
        long atomics = 20_000;
        boolean keep = false;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--peers":
                    peers = (int)number(args, ++i, 1, 8);
                    break;
                case "--messages":
                    messages = number(args, ++i, 1, 100_000_000);
                    break;
                case "--atomics":
                    atomics = number(args, ++i, 1, 100_000_000);
                    break;
                case "--keep":
                    keep = true;
                    break;
                default:
                    throw new UsageException("unknown option '" + args[i] + "'");
            }
        }

        try (DemoSession session = new DemoSession("demo-transport", keep))
        {
            final Fabric fabric = session.fabric();
            session.printHeader("farline demo-transport", "transport across " + (peers + 1) + " JVMs");
            final int peerCount = peers;
            final long messageCount = messages;
            final long atomicCount = atomics;
            return session.run(() ->
            {
                try (Node node = Node.launch(new NodeConfig().fabric(fabric)))
                {
                    new TransportDemo(peerCount, messageCount, atomicCount, node, session).runSteps(fabric);
                }
            }, "demo passed: every result verified across " + (peers + 1) + " processes");
        }
    }

    private void runSteps(final Fabric fabric)
    {
        final RegisteredRegion coordinatorRegion = node.registerRegion(4096, AccessFlags.ALL);

        long start = step("starting " + peers + " peer JVMs");
        for (int i = 0; i < peers; i++)
        {
            session.startFarline("peer-" + i, List.of("-Xmx64m"),
                List.of("demo-peer", fabric.directory().toString(), Integer.toString(node.nodeId())));
        }
        await(() -> peerRegions.size() == peers, "HELLO from every peer");
        done(start, "peers joined", peers + " nodes, each registered " + Units.bytes(PEER_REGION_LENGTH), true);

        start = step("one-sided WRITE of " + Units.bytes(PATTERN_LENGTH) + " into each peer, READ back");
        final boolean readBack = writeAndReadBack();
        done(start, "WRITE + READ", Units.bytes((long)PATTERN_LENGTH * peers) + " each way, " +
            CHUNK + "-byte work requests", readBack);

        start = step("compare-and-swap and fetch-and-add from " + peers + " peers at once");
        for (final int peer : peerRegions.keySet())
        {
            sendTo(peer, encode(message, ATOMICS, coordinatorRegion.handle(), atomics));
        }
        awaitReplies(ATOMICS_DONE);
        final long expected = atomics * peers;
        final long added = coordinatorRegion.buffer().getLongVolatile(FETCH_ADD_OFFSET);
        final long swapped = coordinatorRegion.buffer().getLongVolatile(CAS_OFFSET);
        done(start, "FETCH_AND_ADD", String.format("%,d adds from %d processes on one word, expect %,d", added, peers,
            expected), added == expected);
        done(start, "COMPARE_AND_SWAP", String.format("%,d CAS increments, expect %,d", swapped, expected),
            swapped == expected);

        start = step("SEND " + String.format("%,d", messages) + " messages to each peer");
        final long streamStart = System.nanoTime();
        for (long seq = 0; seq < messages; seq++)
        {
            for (final int peer : peerRegions.keySet())
            {
                sendTo(peer, encode(message, STREAM, seq));
            }
        }
        for (final int peer : peerRegions.keySet())
        {
            sendTo(peer, encode(message, STREAM_END, messages));
        }
        awaitReplies(STREAM_OK);
        final long streamNs = System.nanoTime() - streamStart;
        boolean inOrder = true;
        for (final int peer : peerRegions.keySet())
        {
            inOrder &= replyValues.get(peer) == messages;
        }
        done(start, "SEND/RECV", String.format("%,d messages, complete and in order, %s", messages * peers,
            Units.rate(messages * peers, streamNs)), inOrder);

        start = step("peers check the WRITEs with their own CPU");
        for (final int peer : peerRegions.keySet())
        {
            sendTo(peer, encode(message, CHECK, peer));
        }
        awaitReplies(CHECK_OK);
        boolean seen = true;
        for (final int peer : peerRegions.keySet())
        {
            seen &= replyValues.get(peer) == 1;
        }
        done(start, "remote view", "each peer sees the coordinator's one-sided WRITEs in its own memory", seen);

        for (final int peer : peerRegions.keySet())
        {
            sendTo(peer, encode(message, BYE, 0));
        }
    }

    private boolean writeAndReadBack()
    {
        final UnsafeBuffer chunk = new UnsafeBuffer(ByteBuffer.allocateDirect(CHUNK));
        final UnsafeBuffer readBack = new UnsafeBuffer(ByteBuffer.allocateDirect(PATTERN_LENGTH));
        final long[] errors = { 0 };
        final CompletionHandler onCompletion = (wrId, verb, status, result) ->
        {
            if (status != CompletionStatus.SUCCESS)
            {
                errors[0]++;
            }
        };
        boolean ok = true;
        for (final int peer : peerRegions.keySet())
        {
            final QueuePair qp = node.connect(peer);
            final RemoteRegion remote = qp.attach(peerRegions.get(peer));
            for (int offset = 0; offset < PATTERN_LENGTH; offset += CHUNK)
            {
                for (int i = 0; i < CHUNK; i++)
                {
                    chunk.putByte(i, patternByte(peer, offset + i));
                }
                while (qp.postWrite(offset, chunk, 0, CHUNK, remote, offset) == QueuePair.QUEUE_FULL)
                {
                    qp.completionQueue().poll(onCompletion, Integer.MAX_VALUE);
                }
            }
            for (int offset = 0; offset < PATTERN_LENGTH; offset += CHUNK)
            {
                while (qp.postRead(offset, readBack, offset, CHUNK, remote, offset) == QueuePair.QUEUE_FULL)
                {
                    qp.completionQueue().poll(onCompletion, Integer.MAX_VALUE);
                }
            }
            while (qp.completionQueue().size() > 0)
            {
                qp.completionQueue().poll(onCompletion, Integer.MAX_VALUE);
            }
            for (int i = 0; i < PATTERN_LENGTH; i++)
            {
                ok &= readBack.getByte(i) == patternByte(peer, i);
            }
            qp.close();
        }
        return ok && errors[0] == 0;
    }

    private void sendTo(final int peer, final int length)
    {
        QueuePair qp = queuePairs.get(peer);
        if (null == qp)
        {
            qp = node.connect(peer);
            queuePairs.put(peer, qp);
        }
        sendReliably(qp, message, length, node);
        if ((++sent & 1023) == 0)
        {
            node.receive(this::onMessage, 64); // keep our own inbox moving while we stream
        }
    }

    private void onMessage(final int senderNodeId, final DirectBuffer buffer, final int index, final int length)
    {
        final int type = buffer.getInt(index);
        if (type == HELLO)
        {
            peerRegions.put(senderNodeId, RegionHandle.decode(buffer, index + 4));
        }
        else
        {
            replies.put(senderNodeId, type);
            replyValues.put(senderNodeId, buffer.getLong(index + 4));
        }
    }

    private void awaitReplies(final int type)
    {
        await(() ->
        {
            for (final int peer : peerRegions.keySet())
            {
                if (replies.get(peer) != type)
                {
                    return false;
                }
            }
            return true;
        }, "reply " + type + " from every peer");
    }

    private void await(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + STEP_TIMEOUT_NS;
        while (!condition.getAsBoolean())
        {
            if (node.receive(this::onMessage, 64) == 0)
            {
                session.checkNotInterrupted();
                for (final Process child : session.children())
                {
                    if (!child.isAlive())
                    {
                        throw new IllegalStateException("a peer JVM (pid " + child.pid() + ") exited with code " +
                            child.exitValue() + " while waiting for " + what);
                    }
                }
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException("timed out after 60 s waiting for " + what);
                }
                Thread.onSpinWait();
            }
        }
    }

    private void done(final long startNs, final String check, final String detail, final boolean ok)
    {
        session.done(startNs, check, detail, ok);
    }
}
