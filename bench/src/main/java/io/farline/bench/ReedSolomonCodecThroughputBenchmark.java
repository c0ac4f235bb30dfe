package io.farline.bench;

import io.farline.core.parity.ReedSolomonCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Metrics P8-rs-encode and P8-rs-decode: stripes per second of {@link ReedSolomonCodec} 8+2 with 64 KiB shards on one
 * thread, which the runner reports as GB (10<sup>9</sup> bytes) of stripe data (512 KiB) per second.
 * <p>
 * {@link #encode} computes both parity shards from the 8 data shards. {@link #decode} rebuilds data shards 0 and 1
 * (the worst case of 8+2: two data shards lost) from the other 6 and both parity shards; it overwrites the lost
 * shards' arrays in place, each invocation with the same input, and the tear-down checks that they hold the original
 * data again, so a decode that did less work would fail the benchmark rather than flatter it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = BenchmarkRunner.WARMUP_ITERATIONS, time = BenchmarkRunner.RESILIENCE_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchmarkRunner.MEASUREMENT_ITERATIONS, time = BenchmarkRunner.RESILIENCE_ITERATION_TIME_MS,
    timeUnit = TimeUnit.MILLISECONDS)
@Fork(BenchmarkRunner.FORKS)
@Threads(1)
public class ReedSolomonCodecThroughputBenchmark
{
    /** The data shards lost before each decode. */
    static final int[] LOST = { 0, 1 };

    /**
     * The codec and an encoded 8+2 stripe.
     */
    @State(Scope.Thread)
    public static class Stripe
    {
        ReedSolomonCodec codec;
        byte[][] data;
        byte[][] parity;

        /**
         * Fills the data shards from the seeded generator and encodes them.
         */
        @Setup
        public void setUp()
        {
            codec = new ReedSolomonCodec(ResilienceStripes.DATA_SHARDS, ResilienceStripes.RS_PARITY_SHARDS,
                ResilienceStripes.SHARD_LENGTH_BYTES);
            data = ResilienceStripes.randomShards(ResilienceStripes.DATA_SHARDS, ResilienceStripes.SEED);
            parity = new byte[ResilienceStripes.RS_PARITY_SHARDS][ResilienceStripes.SHARD_LENGTH_BYTES];
            codec.encode(data, parity);
        }
    }

    /**
     * The encoded stripe as the decode sees it: a copy of its shards with shards {@link #LOST} lost, their arrays
     * filled with garbage, which the first decode overwrites.
     */
    @State(Scope.Thread)
    public static class LostStripe
    {
        ReedSolomonCodec codec;
        byte[][] data;
        byte[][] shards;
        boolean[] present;

        /**
         * Encodes the stripe, copies it and loses shards {@link #LOST} (one set-up: JMH does not order a state's
         * inherited set-ups before its own).
         */
        @Setup
        public void setUp()
        {
            final Stripe stripe = new Stripe();
            stripe.setUp();
            codec = stripe.codec;
            data = stripe.data;
            final byte[][] parity = stripe.parity;
            final int k = ResilienceStripes.DATA_SHARDS;
            final int total = k + ResilienceStripes.RS_PARITY_SHARDS;
            shards = new byte[total][];
            for (int i = 0; i < total; i++)
            {
                shards[i] = (i < k ? data[i] : parity[i - k]).clone();
            }
            present = new boolean[total];
            Arrays.fill(present, true);
            for (final int lost : LOST)
            {
                present[lost] = false;
                Arrays.fill(shards[lost], (byte)0x5A);
            }
        }

        /**
         * Checks that the decodes rebuilt the lost shards.
         */
        @TearDown
        public void tearDown()
        {
            for (final int lost : LOST)
            {
                if (!Arrays.equals(shards[lost], data[lost]))
                {
                    throw new IllegalStateException("decode did not rebuild data shard " + lost);
                }
            }
        }
    }

    /**
     * Encode: both parity shards of the 8+2 stripe.
     *
     * @param stripe the stripe.
     * @return the parity shards, so that the work is not eliminated.
     */
    @Benchmark
    public byte[][] encode(final Stripe stripe)
    {
        stripe.codec.encode(stripe.data, stripe.parity);
        return stripe.parity;
    }

    /**
     * Decode: rebuild data shards 0 and 1 in place from the other 8 shards.
     *
     * @param stripe the stripe.
     * @return the shards, so that the work is not eliminated.
     */
    @Benchmark
    public byte[][] decode(final LostStripe stripe)
    {
        stripe.codec.decode(stripe.shards, stripe.present);
        return stripe.shards;
    }

    /**
     * Runs this class through {@link BenchmarkRunner}, with the JVM flags Farline needs.
     *
     * @param args runner options, see {@link BenchmarkRunner#main}.
     */
    public static void main(final String[] args)
    {
        BenchmarkRunner.runClass(ReedSolomonCodecThroughputBenchmark.class, args);
    }
}
