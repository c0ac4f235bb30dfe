package io.farline.bench;

import io.farline.transport.QueuePair;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Metric P6-send-throughput: 32-byte messages per second through the send and receive paths on one thread, in
 * batches of {@link #BATCH}: send (or write) a batch, then receive (or read) it. Subject: node A's
 * {@code QueuePair.send} to node B in this JVM and {@code Node.receive} on B. Baselines: raw Agrona
 * {@code OneToOneRingBuffer} (the metric's) and {@code ManyToOneRingBuffer} (the kind SENDs used before send lanes;
 * for the record) write and read.
 * <p>
 * Why one thread: with a producer and a consumer on the two cores of this machine, the figure is set by how hard the
 * consumer's empty polls contend for the line the producer writes, not by what a write costs; a cheaper write can
 * come out slower (see {@link TwoSidedSendThroughputBenchmark}, kept for the record). Batching on one thread measures
 * the cost of the paths themselves.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
public class TwoSidedSendBatchThroughputBenchmark
{
    /** Messages per invocation: far fewer than the ring holds, so a send never meets back-pressure. */
    static final int BATCH = 256;

    /**
     * Subject: send a batch from node A to node B, then receive it on B.
     *
     * @param state the nodes.
     * @return messages received.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int farlineSendThenReceive(final TwoSidedSendThroughputBenchmark.FarlinePair state)
    {
        for (int i = 0; i < BATCH; i++)
        {
            final int result =
                state.queuePair.send(state.message, 0, TwoSidedSendThroughputBenchmark.MESSAGE_LENGTH_BYTES);
            if (result != QueuePair.OK)
            {
                state.onSendFailed(result);
            }
        }
        // A read stops at the ring's end; a batch that wraps takes two.
        int received = 0;
        while (received < BATCH)
        {
            received += state.receiver.receive(state, BATCH - received);
        }
        return received;
    }

    /**
     * Baseline: write a batch into a raw ring, then read it.
     *
     * @param state the ring.
     * @return messages read.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int ringWriteThenRead(final TwoSidedSendThroughputBenchmark.RawRing state)
    {
        for (int i = 0; i < BATCH; i++)
        {
            if (!state.buffer.write(1, state.message, 0, TwoSidedSendThroughputBenchmark.MESSAGE_LENGTH_BYTES))
            {
                throw new IllegalStateException("raw ring full with " + i + " messages of a batch");
            }
        }
        int read = 0;
        while (read < BATCH)
        {
            read += state.buffer.read(state, BATCH - read);
        }
        return read;
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(TwoSidedSendBatchThroughputBenchmark.class, args);
    }
}
