package io.farline.property.parity;

import io.farline.core.parity.ErasureCodec;
import io.farline.core.parity.MirrorCodec;
import io.farline.core.parity.ReedSolomonCodec;
import io.farline.core.parity.XorCodec;
import io.farline.property.harness.Gen;
import io.farline.property.harness.PropertyRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.function.IntFunction;

/**
 * Random line-granular updates of a stripe's data, with parity kept up to date by deltas, and random losses of at
 * most m shards: decoding always gives back the model's shards ({@link StripeScenario}), for XOR, Reed-Solomon and
 * replication.
 */
class ParityAgreesWithModelProperty
{
    private static final int TRIALS = 200;
    private static final int MAX_ACTIONS = 40;
    private static final int SHARD_LENGTH = 512;

    @ParameterizedTest(name = "{0} {1}+{2}")
    @CsvSource({"xor, 3, 1", "rs, 4, 2", "rs, 8, 2", "rs, 3, 3", "mirror, 1, 2"})
    void shouldDecodeEveryLossOfAtMostMShardsAfterLineUpdates(final String kind, final int k, final int m)
    {
        final IntFunction<ErasureCodec> codec = length -> switch (kind)
        {
            case "xor" -> new XorCodec(k, length);
            case "rs" -> new ReedSolomonCodec(k, m, length);
            default -> new MirrorCodec(m, length);
        };
        PropertyRunner.forAll(Gen.listOf(StripeScenario.actions(k, m, SHARD_LENGTH), 1, MAX_ACTIONS))
            .named("parity " + kind + " " + k + "+" + m)
            .simplifiedBy(StripeAction::simpler)
            .trials(TRIALS)
            .check(new StripeScenario(codec, SHARD_LENGTH));
    }
}
