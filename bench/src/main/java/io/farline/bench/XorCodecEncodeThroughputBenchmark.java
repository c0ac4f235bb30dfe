package io.farline.bench;

import io.farline.core.parity.XorCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Metric P7-xor-vs-copy: stripes per second of {@link XorCodec#encode} (k = 8, 64 KiB shards: 512 KiB of data in,
 * 64 KiB of parity out) against a plain copy of the same 512 KiB, {@code System.arraycopy} of each of the 8 data
 * shards into its own destination array. Both count the same data bytes per operation, so the ratio of their
 * stripes per second is that of their GB/s of data input.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.RESILIENCE_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.RESILIENCE_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
public class XorCodecEncodeThroughputBenchmark
{
    /**
     * The codec, the data shards, the parity shard and the copy's destinations.
     */
    @State(Scope.Thread)
    public static class Stripe
    {
        XorCodec codec;
        byte[][] data;
        byte[][] parity;
        byte[][] copies;

        /**
         * Fills the data shards from the seeded generator.
         */
        @Setup
        public void setUp()
        {
            codec = new XorCodec(ResilienceStripes.DATA_SHARDS, ResilienceStripes.SHARD_LENGTH_BYTES);
            data = ResilienceStripes.randomShards(ResilienceStripes.DATA_SHARDS, ResilienceStripes.SEED);
            parity = new byte[1][ResilienceStripes.SHARD_LENGTH_BYTES];
            copies = new byte[ResilienceStripes.DATA_SHARDS][ResilienceStripes.SHARD_LENGTH_BYTES];
        }
    }

    /**
     * Subject: XOR parity of the stripe.
     *
     * @param stripe the stripe.
     * @return the parity shard, so that the work is not eliminated.
     */
    @Benchmark
    public byte[] xorEncode(final Stripe stripe)
    {
        stripe.codec.encode(stripe.data, stripe.parity);
        return stripe.parity[0];
    }

    /**
     * Baseline: copy the stripe's 8 data shards into 8 destination arrays with {@code System.arraycopy}.
     *
     * @param stripe the stripe.
     * @return the destinations, so that the work is not eliminated.
     */
    @Benchmark
    public byte[][] arraycopyStripe(final Stripe stripe)
    {
        final byte[][] data = stripe.data;
        final byte[][] copies = stripe.copies;
        for (int i = 0; i < data.length; i++)
        {
            System.arraycopy(data[i], 0, copies[i], 0, ResilienceStripes.SHARD_LENGTH_BYTES);
        }
        return copies;
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(XorCodecEncodeThroughputBenchmark.class, args);
    }
}
