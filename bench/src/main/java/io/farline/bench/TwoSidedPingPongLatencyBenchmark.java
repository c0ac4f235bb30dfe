package io.farline.bench;

import io.farline.transport.Fabric;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.QueuePair;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Metric P5-pingpong-rtt: the round trip of a 32-byte message to a peer process and back (p50 of sampled
 * invocations). Subject: {@code QueuePair.send} to an {@code echo} peer's node, which receives it with
 * {@code Node.receive} and sends it back; this JVM receives it with its own {@code Node.receive}. Baseline: the same
 * over two raw Agrona {@link OneToOneRingBuffer}s (one per direction) in a mapped file, with a {@code ring-echo} peer.
 * Both sides busy-spin while they wait; both rings have the capacity of a node's default inbox.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
public class TwoSidedPingPongLatencyBenchmark
{
    static final int MESSAGE_LENGTH_BYTES = 32;
    static final int RING_CAPACITY_BYTES = NodeConfig.DEFAULT_INBOX_CAPACITY_BYTES;

    /** Spins between checks that the peer still lives, so a dead peer fails the trial instead of hanging it. */
    private static final int LIVENESS_CHECK_MASK = (1 << 20) - 1;
    private static final int PING_MSG_TYPE_ID = 1;

    /**
     * Subject state: this JVM's node, an echo peer process and a queue pair to it.
     */
    @State(Scope.Benchmark)
    public static class FarlineEcho implements MessageHandler
    {
        TrialDirectory directory;
        ChildPeer peer;
        Node node;
        QueuePair queuePair;
        UnsafeBuffer message;
        long sequence;
        long echoed;

        /**
         * Launches this JVM's node, then the echo peer, and connects to it.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            directory = TrialDirectory.create();
            try
            {
                final Path fabricDirectory = directory.resolve("fabric");
                node = Node.launch(BenchNodes.config(Fabric.at(fabricDirectory)));
                peer = ChildPeer.start(BenchPeerMain.MODE_ECHO, fabricDirectory.toString(),
                    Integer.toString(node.nodeId()));
                queuePair = node.connect(Integer.parseInt(peer.readyFields()[0]));
                message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MESSAGE_LENGTH_BYTES, 64));
            }
            catch (final RuntimeException | Error ex)
            {
                tearDown();
                throw ex;
            }
        }

        /**
         * Closes the node (the peer then stops echoing), stops the peer, deletes the trial directory.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            CloseHelper.closeAll(node, peer, directory);
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index,
            final int length)
        {
            echoed = buffer.getLong(index);
        }

        void onSendFailed(final int result)
        {
            throw new IllegalStateException("send to the echo peer failed with " + result + " (" +
                queuePair.peerState() + ")");
        }
    }

    /**
     * Baseline state: two raw rings in a mapped file and a ring-echo peer process.
     */
    @State(Scope.Benchmark)
    public static class RingEcho implements MessageHandler
    {
        TrialDirectory directory;
        ChildPeer peer;
        OneToOneRingBuffer ping;
        OneToOneRingBuffer pong;
        UnsafeBuffer message;
        long sequence;
        long echoed;

        /**
         * Creates the rings, then starts the ring-echo peer on them.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            directory = TrialDirectory.create();
            try
            {
                final Path file = directory.resolve("pingpong.rings");
                final MappedByteBuffer mapping = MappedRings.create(file, 2, RING_CAPACITY_BYTES);
                ping = new OneToOneRingBuffer(MappedRings.ring(mapping, 0, RING_CAPACITY_BYTES));
                pong = new OneToOneRingBuffer(MappedRings.ring(mapping, 1, RING_CAPACITY_BYTES));
                message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MESSAGE_LENGTH_BYTES, 64));
                peer = ChildPeer.start(BenchPeerMain.MODE_RING_ECHO, file.toString(),
                    Integer.toString(RING_CAPACITY_BYTES));
            }
            catch (final RuntimeException | Error ex)
            {
                tearDown();
                throw ex;
            }
        }

        /**
         * Stops the peer and deletes the trial directory.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            CloseHelper.closeAll(peer, directory);
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index,
            final int length)
        {
            echoed = buffer.getLong(index);
        }
    }

    /**
     * Subject: one SEND/RECV round trip through Farline nodes.
     *
     * @param state the connected echo peer.
     * @return the sequence number that came back.
     */
    @Benchmark
    public long farlineSendRecv(final FarlineEcho state)
    {
        final long sequence = ++state.sequence;
        state.message.putLong(0, sequence);
        int spins = 0;
        int result;
        while ((result = state.queuePair.send(state.message, 0, MESSAGE_LENGTH_BYTES)) != QueuePair.OK)
        {
            if (result != QueuePair.BACK_PRESSURED)
            {
                state.onSendFailed(result);
            }
            Thread.onSpinWait();
        }
        while (state.node.receive(state, 1) == 0)
        {
            if ((++spins & LIVENESS_CHECK_MASK) == 0)
            {
                state.peer.checkAlive();
            }
            Thread.onSpinWait();
        }
        return state.echoed;
    }

    /**
     * Baseline: one round trip through two raw one-to-one rings.
     *
     * @param state the rings and the ring-echo peer.
     * @return the sequence number that came back.
     */
    @Benchmark
    public long oneToOneRingBuffer(final RingEcho state)
    {
        final long sequence = ++state.sequence;
        state.message.putLong(0, sequence);
        int spins = 0;
        while (!state.ping.write(PING_MSG_TYPE_ID, state.message, 0, MESSAGE_LENGTH_BYTES))
        {
            Thread.onSpinWait();
        }
        while (state.pong.read(state, 1) == 0)
        {
            if ((++spins & LIVENESS_CHECK_MASK) == 0)
            {
                state.peer.checkAlive();
            }
            Thread.onSpinWait();
        }
        return state.echoed;
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(TwoSidedPingPongLatencyBenchmark.class, args);
    }
}
