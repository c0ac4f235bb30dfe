package io.farline.core.parity;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static io.farline.core.parity.CodecChecks.SEED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class CodingRowTest
{
    private static final int SHARD_LENGTH = 61;

    @Test
    void shouldWriteTheGf256SumOverTheRangeWhenCoefficientsMixZeroOneAndOthers()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final byte[][] shards = CodecChecks.randomShards(random, 8, SHARD_LENGTH);
        for (int round = 0; round < 2000; round++)
        {
            // Up to 7 sources drawn from shards 1..7, coefficients biased towards the 0 and 1 special cases so
            // every branch of apply (first write by copy, pair, single or fill; odd and even tails) is taken.
            final int count = random.nextInt(8);
            final int[] sources = new int[count];
            final int[] coefficients = new int[count];
            for (int j = 0; j < count; j++)
            {
                sources[j] = 1 + random.nextInt(7);
                final int kind = random.nextInt(4);
                coefficients[j] = 0 == kind ? 0 : 1 == kind ? 1 : random.nextInt(256);
            }
            final int offset = random.nextInt(SHARD_LENGTH + 1);
            final int length = random.nextInt(SHARD_LENGTH - offset + 1);
            final byte[] out = shards[0].clone();
            final byte[] expected = out.clone();
            for (int i = offset; i < offset + length; i++)
            {
                int sum = 0;
                for (int j = 0; j < count; j++)
                {
                    sum ^= Gf256.mul(coefficients[j], shards[sources[j]][i] & 0xFF);
                }
                expected[i] = (byte)sum;
            }

            final CodingRow row = new CodingRow(sources, coefficients);
            row.apply(shards, out, offset, length);

            assertArrayEquals(expected, out, "seed=" + SEED + " round " + round + " " + row + " over [" + offset +
                ", +" + length + ")");
        }
    }
}
