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
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Metric P5-pingpong-rtt: a 32-byte SEND/RECV round trip to a peer process echoing through its node, against a raw
 * Agrona {@link OneToOneRingBuffer} round trip (two rings over a mapped file) to the same peer process, measured
 * <em>paired</em>: each invocation times {@link #ROUND_TRIPS} round trips of each kind, rotating kind and order,
 * against one peer process that echoes all kinds in one loop. For the record, a third kind: a raw Agrona
 * {@link ManyToOneRingBuffer} round trip (the ring SENDs went through before send lanes; a node's inbox still is
 * one), which separates the cost of the ring from the cost of the transport's layer.
 * <p>
 * Why paired: on a 2-vCPU virtual machine a cross-process round trip is bimodal by process placement (about 180 ns in
 * one mode, 500 ns or more in the other), fixed for the life of a pair of processes. Measured in separate forks, the
 * subject and the baseline land in different modes and their ratio measures the placement, not the transport. Paired
 * in one fork, both meet the same placement. Each invocation reports the p50 (and p99) of each kind in the auxiliary
 * counters; the runner takes each fork's median over iterations, then the median over forks. Every round trip is
 * timed with {@link System#nanoTime()}, which adds the same small cost to both kinds.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, batchSize = 1)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, batchSize = 1)
@Fork(BenchmarkRunner.FORKS)
public class TwoSidedPingPongPairedLatencyBenchmark
{
    static final int MESSAGE_LENGTH_BYTES = 32;
    static final int RING_CAPACITY_BYTES = NodeConfig.DEFAULT_INBOX_CAPACITY_BYTES;
    /** Round trips of each kind per invocation. */
    static final int ROUND_TRIPS = 50_000;
    /** Auxiliary counter: p50 of the Farline round trips of the invocation, ns. */
    static final String FARLINE_P50 = "farlineP50Ns";
    /** Auxiliary counter: p50 of the raw one-to-one ring round trips of the invocation, ns. */
    static final String RING_P50 = "ringP50Ns";
    /** Auxiliary counter: p50 of the raw many-to-one ring round trips of the invocation, ns. */
    static final String MANY_TO_ONE_RING_P50 = "manyToOneRingP50Ns";
    /** Auxiliary counters of the tail: p90, p99 and p99.9 of the Farline and raw one-to-one ring round trips, ns. */
    static final String FARLINE_P90 = "farlineP90Ns";
    static final String RING_P90 = "ringP90Ns";
    static final String FARLINE_P99 = "farlineP99Ns";
    static final String RING_P99 = "ringP99Ns";
    static final String FARLINE_P999 = "farlineP999Ns";
    static final String RING_P999 = "ringP999Ns";

    private static final int PING_MSG_TYPE_ID = 1;
    private static final int LIVENESS_CHECK_MASK = (1 << 20) - 1;

    /**
     * The parent's side: a node with a queue pair to the peer, two raw rings shared with it, and sample arrays.
     */
    @State(Scope.Benchmark)
    public static class PairedEcho implements MessageHandler
    {
        TrialDirectory directory;
        ChildPeer peer;
        Node node;
        QueuePair queuePair;
        OneToOneRingBuffer ping;
        OneToOneRingBuffer pong;
        ManyToOneRingBuffer manyToOnePing;
        ManyToOneRingBuffer manyToOnePong;
        UnsafeBuffer message;
        final long[] farlineNs = new long[ROUND_TRIPS];
        final long[] ringNs = new long[ROUND_TRIPS];
        final long[] manyToOneRingNs = new long[ROUND_TRIPS];
        long sequence;
        long echoed;

        /**
         * Launches the node, creates the rings and starts the peer.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            directory = TrialDirectory.create();
            try
            {
                final Path fabricDirectory = directory.resolve("fabric");
                final Path ringFile = directory.resolve("pingpong.rings");
                node = Node.launch(BenchNodes.config(Fabric.at(fabricDirectory)));
                final MappedByteBuffer mapping = MappedRings.create(ringFile, 4, RING_CAPACITY_BYTES);
                ping = new OneToOneRingBuffer(MappedRings.ring(mapping, 0, RING_CAPACITY_BYTES));
                pong = new OneToOneRingBuffer(MappedRings.ring(mapping, 1, RING_CAPACITY_BYTES));
                manyToOnePing = new ManyToOneRingBuffer(MappedRings.ring(mapping, 2, RING_CAPACITY_BYTES));
                manyToOnePong = new ManyToOneRingBuffer(MappedRings.ring(mapping, 3, RING_CAPACITY_BYTES));
                peer = ChildPeer.start(BenchPeerMain.MODE_PAIRED_ECHO, fabricDirectory.toString(),
                    Integer.toString(node.nodeId()), ringFile.toString(), Integer.toString(RING_CAPACITY_BYTES));
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
         * Stops the peer, closes the node and deletes the trial directory.
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

        long farlineRoundTripNs()
        {
            final long sequence = ++this.sequence;
            message.putLong(0, sequence);
            final long startNs = System.nanoTime();
            int result;
            while ((result = queuePair.send(message, 0, MESSAGE_LENGTH_BYTES)) != QueuePair.OK)
            {
                if (result != QueuePair.BACK_PRESSURED)
                {
                    throw new IllegalStateException("send to the echo peer failed with " + result + " (" +
                        queuePair.peerState() + ")");
                }
                Thread.onSpinWait();
            }
            int spins = 0;
            while (node.receive(this, 1) == 0 || echoed != sequence)
            {
                if ((++spins & LIVENESS_CHECK_MASK) == 0)
                {
                    peer.checkAlive();
                }
                Thread.onSpinWait();
            }
            return System.nanoTime() - startNs;
        }

        long ringRoundTripNs(final RingBuffer ping, final RingBuffer pong)
        {
            final long sequence = ++this.sequence;
            message.putLong(0, sequence);
            final long startNs = System.nanoTime();
            while (!ping.write(PING_MSG_TYPE_ID, message, 0, MESSAGE_LENGTH_BYTES))
            {
                Thread.onSpinWait();
            }
            int spins = 0;
            while (pong.read(this, 1) == 0 || echoed != sequence)
            {
                if ((++spins & LIVENESS_CHECK_MASK) == 0)
                {
                    peer.checkAlive();
                }
                Thread.onSpinWait();
            }
            return System.nanoTime() - startNs;
        }
    }

    /**
     * The invocation's percentiles, reported as events (not divided by time).
     */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Percentiles
    {
        /** p50 of the Farline round trips, ns. */
        public long farlineP50Ns;
        /** p50 of the raw ring round trips, ns. */
        public long ringP50Ns;
        /** p50 of the raw many-to-one ring round trips, ns. */
        public long manyToOneRingP50Ns;
        /** p90 of the Farline round trips, ns. */
        public long farlineP90Ns;
        /** p90 of the raw ring round trips, ns. */
        public long ringP90Ns;
        /** p99 of the Farline round trips, ns. */
        public long farlineP99Ns;
        /** p99 of the raw ring round trips, ns. */
        public long ringP99Ns;
        /** p99.9 of the Farline round trips, ns. */
        public long farlineP999Ns;
        /** p99.9 of the raw ring round trips, ns. */
        public long ringP999Ns;

        /**
         * Zeroes the counters before each iteration.
         */
        @Setup(Level.Iteration)
        public void reset()
        {
            farlineP50Ns = 0;
            ringP50Ns = 0;
            manyToOneRingP50Ns = 0;
            farlineP90Ns = 0;
            ringP90Ns = 0;
            farlineP99Ns = 0;
            ringP99Ns = 0;
            farlineP999Ns = 0;
            ringP999Ns = 0;
        }
    }

    /**
     * {@link #ROUND_TRIPS} round trips of each kind, rotating which goes first, then their percentiles.
     *
     * @param state       the node, rings and peer.
     * @param percentiles where the invocation's percentiles go.
     * @return the last echoed sequence number, so that nothing is dead code.
     */
    @Benchmark
    public long pairedRoundTrips(final PairedEcho state, final Percentiles percentiles)
    {
        final long[] farlineNs = state.farlineNs;
        final long[] ringNs = state.ringNs;
        final long[] manyToOneRingNs = state.manyToOneRingNs;
        for (int i = 0; i < ROUND_TRIPS; i++)
        {
            // Rotate which kind goes first, so that none always follows another.
            switch (i % 3)
            {
                case 0:
                    farlineNs[i] = state.farlineRoundTripNs();
                    ringNs[i] = state.ringRoundTripNs(state.ping, state.pong);
                    manyToOneRingNs[i] = state.ringRoundTripNs(state.manyToOnePing, state.manyToOnePong);
                    break;
                case 1:
                    ringNs[i] = state.ringRoundTripNs(state.ping, state.pong);
                    manyToOneRingNs[i] = state.ringRoundTripNs(state.manyToOnePing, state.manyToOnePong);
                    farlineNs[i] = state.farlineRoundTripNs();
                    break;
                default:
                    manyToOneRingNs[i] = state.ringRoundTripNs(state.manyToOnePing, state.manyToOnePong);
                    farlineNs[i] = state.farlineRoundTripNs();
                    ringNs[i] = state.ringRoundTripNs(state.ping, state.pong);
            }
        }
        Arrays.sort(farlineNs);
        Arrays.sort(ringNs);
        Arrays.sort(manyToOneRingNs);
        percentiles.farlineP50Ns = farlineNs[ROUND_TRIPS / 2];
        percentiles.ringP50Ns = ringNs[ROUND_TRIPS / 2];
        percentiles.manyToOneRingP50Ns = manyToOneRingNs[ROUND_TRIPS / 2];
        percentiles.farlineP90Ns = farlineNs[ROUND_TRIPS * 9 / 10];
        percentiles.ringP90Ns = ringNs[ROUND_TRIPS * 9 / 10];
        percentiles.farlineP99Ns = farlineNs[ROUND_TRIPS * 99 / 100];
        percentiles.ringP99Ns = ringNs[ROUND_TRIPS * 99 / 100];
        percentiles.farlineP999Ns = farlineNs[ROUND_TRIPS * 999 / 1000];
        percentiles.ringP999Ns = ringNs[ROUND_TRIPS * 999 / 1000];
        return state.echoed;
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(TwoSidedPingPongPairedLatencyBenchmark.class, args);
    }
}
