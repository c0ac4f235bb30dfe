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
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.MappedByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Metric P6-send-throughput: 32-byte messages sent per second, with a producer thread sending and a consumer thread
 * draining (a JMH group). Subject: node A's {@code QueuePair.send} to node B in this JVM, drained by
 * {@code Node.receive} on B. Baselines: raw Agrona ring writes and reads of 32 bytes, {@link OneToOneRingBuffer} (the
 * metric's baseline) and {@link ManyToOneRingBuffer} (the kind SENDs used before send lanes; for the record). All
 * rings have the capacity of a node's default inbox and live in a mapped file of the trial directory, as a send lane
 * does.
 * <p>
 * The throughput is the {@code sent} auxiliary counter (successful sends per second), not the group's primary score,
 * which adds the consumer's polls to the producer's attempts. Failed (back-pressured) sends are counted in
 * {@code backPressured}, the consumer's empty polls in {@code emptyPolls}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
public class TwoSidedSendThroughputBenchmark
{
    static final int MESSAGE_LENGTH_BYTES = 32;
    static final int RING_CAPACITY_BYTES = NodeConfig.DEFAULT_INBOX_CAPACITY_BYTES;
    /** The auxiliary counter the runner takes as the throughput. */
    static final String SENT_COUNTER = "sent";

    /** Most messages the consumer takes per poll, the same for subject and baselines. */
    private static final int DRAIN_LIMIT = 256;
    private static final int MSG_TYPE_ID = 1;

    /**
     * Subject state: two nodes in this JVM and a queue pair from A to B.
     */
    @State(Scope.Benchmark)
    public static class FarlinePair implements MessageHandler
    {
        TrialDirectory directory;
        Node sender;
        Node receiver;
        QueuePair queuePair;
        UnsafeBuffer message;

        /**
         * Launches both nodes and connects A to B.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            directory = TrialDirectory.create();
            try
            {
                final Fabric fabric = Fabric.at(directory.resolve("fabric"));
                receiver = Node.launch(BenchNodes.config(fabric));
                sender = Node.launch(BenchNodes.config(fabric));
                queuePair = sender.connect(receiver.nodeId());
                message = newMessage();
            }
            catch (final RuntimeException | Error ex)
            {
                tearDown();
                throw ex;
            }
        }

        /**
         * Closes both nodes and deletes the trial directory.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            CloseHelper.closeAll(sender, receiver, directory);
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index,
            final int length)
        {
        }

        void onSendFailed(final int result)
        {
            throw new IllegalStateException("send failed with " + result + " (" + queuePair.peerState() + ")");
        }
    }

    /**
     * Baseline state: one raw ring of the kind named by {@link #ring}.
     */
    @State(Scope.Benchmark)
    public static class RawRing implements MessageHandler
    {
        /** The raw ring's kind. */
        @Param({ "OneToOne", "ManyToOne" })
        public String ring;

        TrialDirectory directory;
        RingBuffer buffer;
        UnsafeBuffer message;

        /**
         * Maps the ring file and wraps it in the chosen kind of ring.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            directory = TrialDirectory.create();
            try
            {
                final MappedByteBuffer mapping = MappedRings.create(
                    directory.resolve("send.ring"), 1, RING_CAPACITY_BYTES);
                final UnsafeBuffer memory = MappedRings.ring(mapping, 0, RING_CAPACITY_BYTES);
                switch (ring)
                {
                    case "OneToOne":
                        buffer = new OneToOneRingBuffer(memory);
                        break;
                    case "ManyToOne":
                        buffer = new ManyToOneRingBuffer(memory);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown ring kind " + ring);
                }
                message = newMessage();
            }
            catch (final RuntimeException | Error ex)
            {
                tearDown();
                throw ex;
            }
        }

        /**
         * Deletes the trial directory; the mapping goes with the GC.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            CloseHelper.closeAll(directory);
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index,
            final int length)
        {
        }
    }

    /**
     * The producer's counters, reset every iteration.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class SendCounters
    {
        /** Messages sent. */
        public long sent;
        /** Sends refused because the ring was full. */
        public long backPressured;

        /**
         * Zeroes the counters.
         */
        @Setup(Level.Iteration)
        public void reset()
        {
            sent = 0;
            backPressured = 0;
        }
    }

    /**
     * The consumer's counters, reset every iteration.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class ReceiveCounters
    {
        /** Messages received. */
        public long received;
        /** Polls that found nothing. */
        public long emptyPolls;

        /**
         * Zeroes the counters.
         */
        @Setup(Level.Iteration)
        public void reset()
        {
            received = 0;
            emptyPolls = 0;
        }
    }

    /**
     * Subject producer: one SEND attempt.
     *
     * @param state    the nodes.
     * @param counters the producer's counters.
     */
    @Benchmark
    @Group("farline")
    @GroupThreads(1)
    public void farlineSend(final FarlinePair state, final SendCounters counters)
    {
        final int result = state.queuePair.send(state.message, 0, MESSAGE_LENGTH_BYTES);
        if (result == QueuePair.OK)
        {
            counters.sent++;
        }
        else if (result == QueuePair.BACK_PRESSURED)
        {
            counters.backPressured++;
        }
        else
        {
            state.onSendFailed(result);
        }
    }

    /**
     * Subject consumer: one receive of up to {@link #DRAIN_LIMIT} messages.
     *
     * @param state    the nodes.
     * @param counters the consumer's counters.
     */
    @Benchmark
    @Group("farline")
    @GroupThreads(1)
    public void farlineReceive(final FarlinePair state, final ReceiveCounters counters)
    {
        final int received = state.receiver.receive(state, DRAIN_LIMIT);
        if (received == 0)
        {
            counters.emptyPolls++;
        }
        else
        {
            counters.received += received;
        }
    }

    /**
     * Baseline producer: one raw ring write attempt.
     *
     * @param state    the ring.
     * @param counters the producer's counters.
     */
    @Benchmark
    @Group("rawRing")
    @GroupThreads(1)
    public void rawRingWrite(final RawRing state, final SendCounters counters)
    {
        if (state.buffer.write(MSG_TYPE_ID, state.message, 0, MESSAGE_LENGTH_BYTES))
        {
            counters.sent++;
        }
        else
        {
            counters.backPressured++;
        }
    }

    /**
     * Baseline consumer: one raw ring read of up to {@link #DRAIN_LIMIT} messages.
     *
     * @param state    the ring.
     * @param counters the consumer's counters.
     */
    @Benchmark
    @Group("rawRing")
    @GroupThreads(1)
    public void rawRingRead(final RawRing state, final ReceiveCounters counters)
    {
        final int received = state.buffer.read(state, DRAIN_LIMIT);
        if (received == 0)
        {
            counters.emptyPolls++;
        }
        else
        {
            counters.received += received;
        }
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(TwoSidedSendThroughputBenchmark.class, args);
    }

    private static UnsafeBuffer newMessage()
    {
        final UnsafeBuffer message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MESSAGE_LENGTH_BYTES, 64));
        message.setMemory(0, MESSAGE_LENGTH_BYTES, (byte)7);
        return message;
    }
}
