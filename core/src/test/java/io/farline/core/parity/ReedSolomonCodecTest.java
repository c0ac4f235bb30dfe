package io.farline.core.parity;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.farline.core.parity.CodecChecks.SEED;
import static io.farline.core.parity.CodecChecks.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ReedSolomonCodecTest
{
    private static final int SHARD_LENGTH = 1003;

    @ParameterizedTest(name = "{0}+{1}")
    @CsvSource({"4, 2, 22", "8, 2, 56", "10, 4, 1471"})
    void shouldRebuildEveryPatternOfAtMostMLostShards(final int k, final int m, final int patterns)
    {
        final ReedSolomonCodec codec = new ReedSolomonCodec(k, m, SHARD_LENGTH);
        assertEquals(patterns, CodecChecks.checkEveryErasurePattern(codec, SEED + 31L * k + m));
    }

    @ParameterizedTest(name = "{0}+{1}")
    @CsvSource({"1, 1", "1, 3", "3, 1", "2, 5"})
    void shouldRebuildEveryPatternForEdgeGeometries(final int k, final int m)
    {
        CodecChecks.checkEveryErasurePattern(new ReedSolomonCodec(k, m, 17), SEED + 31L * k + m);
    }

    @Test
    void shouldRebuildShardsLongerThanOneBlock()
    {
        CodecChecks.checkEveryErasurePattern(new ReedSolomonCodec(4, 2, 3 * 8192 + 5), SEED);
    }

    @ParameterizedTest(name = "{0}+{1}")
    @CsvSource({"4, 2", "8, 2", "10, 4"})
    void shouldRefuseMorePlusOneLostShardsNamingThem(final int k, final int m)
    {
        CodecChecks.checkRefusesTooManyLosses(new ReedSolomonCodec(k, m, SHARD_LENGTH), SEED + 31L * k + m);
    }

    @Test
    void shouldNameTheLostShardsWhenRefusing()
    {
        final ReedSolomonCodec codec = new ReedSolomonCodec(4, 2, 8);
        final boolean[] present = {false, true, true, false, true, false};
        assertMessage("3 shards lost but at most 2 can be rebuilt; lost: data 0 (shard 0), data 3 (shard 3), " +
            "parity 1 (shard 5)", () -> codec.decode(new byte[6][8], present));
    }

    @ParameterizedTest(name = "{0}+{1}")
    @CsvSource({"4, 2", "8, 2", "10, 4"})
    void shouldUpdateParityLikeReEncoding(final int k, final int m)
    {
        CodecChecks.checkUpdateParity(new ReedSolomonCodec(k, m, SHARD_LENGTH), SEED + 31L * k + m, 300);
    }

    @Test
    void shouldDecodeWithNothingMissingWithoutChangingAnything()
    {
        final ReedSolomonCodec codec = new ReedSolomonCodec(4, 2, SHARD_LENGTH);
        final byte[][] stripe = CodecChecks.encodedStripe(codec, new SplittableRandom(SEED));
        final byte[][] work = CodecChecks.copy(stripe);
        codec.decode(work, new boolean[] {true, true, true, true, true, true});
        for (int i = 0; i < stripe.length; i++)
        {
            assertArrayEquals(stripe[i], work[i], "seed=" + SEED + " shard " + i);
        }
    }

    @Test
    void shouldUseAllOnesForTheFirstParityRowAndColumn()
    {
        final ReedSolomonCodec codec = new ReedSolomonCodec(10, 4, 8);
        for (int j = 0; j < 10; j++)
        {
            assertEquals(1, codec.coefficient(0, j));
        }
        for (int i = 0; i < 4; i++)
        {
            assertEquals(1, codec.coefficient(i, 0));
            for (int j = 0; j < 10; j++)
            {
                assertNotEquals(0, codec.coefficient(i, j));
            }
        }
    }

    @Test
    void shouldHaveAnInvertibleSubmatrixForSampledSurvivorsOfTheLargestCode()
    {
        // 128+128: decoding from a random set of survivors exercises the Cauchy property at full width.
        final ReedSolomonCodec codec = new ReedSolomonCodec(128, 128, 16);
        final SplittableRandom random = new SplittableRandom(SEED);
        final byte[][] stripe = CodecChecks.encodedStripe(codec, random);
        for (int round = 0; round < 3; round++)
        {
            final boolean[] present = new boolean[256];
            Arrays.fill(present, true);
            for (int lost = 0; lost < 128;)
            {
                final int victim = random.nextInt(256);
                if (present[victim])
                {
                    present[victim] = false;
                    lost++;
                }
            }
            final byte[][] work = CodecChecks.copy(stripe);
            codec.decode(work, present);
            for (int i = 0; i < 256; i++)
            {
                assertArrayEquals(stripe[i], work[i], "seed=" + SEED + " round " + round + " shard " + i);
            }
        }
    }

    @Test
    void shouldRejectBadGeometry()
    {
        assertMessage("dataShards must be at least 1: 0", () -> new ReedSolomonCodec(0, 2, 64));
        assertMessage("parityShards must be at least 1: 0", () -> new ReedSolomonCodec(4, 0, 64));
        assertMessage("parityShards must be at least 1: -1", () -> new ReedSolomonCodec(4, -1, 64));
        assertMessage("dataShards + parityShards must be at most 256: 250 + 7",
            () -> new ReedSolomonCodec(250, 7, 64));
        assertMessage("shardLength must be at least 1: -8", () -> new ReedSolomonCodec(4, 2, -8));
        new ReedSolomonCodec(255, 1, 1);
    }

    @ParameterizedTest(name = "{0}+{1}")
    @CsvSource({"4, 2", "10, 4"})
    void shouldRejectBadArguments(final int k, final int m)
    {
        CodecChecks.checkRejectsBadArguments(new ReedSolomonCodec(k, m, 64));
    }
}
