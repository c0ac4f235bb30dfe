package io.farline.bench;

import io.farline.bench.SuiteMetrics.Figure;
import io.farline.bench.SuiteMetrics.GoalKind;
import io.farline.bench.SuiteMetrics.Side;
import io.farline.bench.SuiteMetrics.Spec;

import java.util.List;

import static io.farline.bench.SuiteMetrics.key;

/**
 * The metrics of the resilience suite: XOR parity against a plain copy of the same bytes (median of per-fork
 * ratios), and Reed-Solomon 8+2 encode and decode in GB/s of stripe data on one core (absolute).
 */
final class ResilienceMetrics
{
    static final String SUITE = "resilience";

    /** The benchmark classes of the suite. */
    static final List<Class<?>> CLASSES = List.of(
        XorCodecEncodeThroughputBenchmark.class,
        ReedSolomonCodecThroughputBenchmark.class);

    /** Unit of the absolute metrics: GB (10^9 bytes) of stripe data per second. */
    static final String GB_PER_SECOND = "GB/s";

    static final List<Spec> SPECS = List.of(
        Spec.perForkRatio("P7-xor-vs-copy", GoalKind.AT_LEAST, 0.5,
            new Side(key(XorCodecEncodeThroughputBenchmark.class, "xorEncode"), Figure.SCORE,
                "XorCodec.encode of an 8 x 64 KiB stripe (stripes/s, so GB/s of data input)"),
            new Side(key(XorCodecEncodeThroughputBenchmark.class, "arraycopyStripe"), Figure.SCORE,
                "System.arraycopy of the same 8 x 64 KiB shards into 8 destination arrays")),
        Spec.absolute("P8-rs-encode", GoalKind.AT_LEAST, 1.0,
            new Side(key(ReedSolomonCodecThroughputBenchmark.class, "encode"), Figure.SCORE,
                "ReedSolomonCodec 8+2 encode of 64 KiB shards on one thread, GB of data input per second"),
            GB_PER_SECOND, ResilienceStripes.GB_PER_STRIPE),
        Spec.absolute("P8-rs-decode", GoalKind.AT_LEAST, 1.0,
            new Side(key(ReedSolomonCodecThroughputBenchmark.class, "decode"), Figure.SCORE,
                "ReedSolomonCodec 8+2 decode of 64 KiB shards rebuilding 2 lost data shards on one thread, " +
                "GB of stripe data per second"),
            GB_PER_SECOND, ResilienceStripes.GB_PER_STRIPE));

    private ResilienceMetrics()
    {
    }
}
