package io.farline.core.parity;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static io.farline.core.parity.CodecChecks.SEED;
import static io.farline.core.parity.CodecChecks.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class XorCodecTest
{
    private static final int SHARD_LENGTH = 1003;

    @Test
    void shouldDescribeItsGeometry()
    {
        final XorCodec codec = new XorCodec(4, 64);
        assertEquals(4, codec.dataShards());
        assertEquals(1, codec.parityShards());
        assertEquals(5, codec.totalShards());
        assertEquals(64, codec.shardLength());
    }

    @Test
    void shouldMakeParityTheXorOfTheData()
    {
        final XorCodec codec = new XorCodec(4, SHARD_LENGTH);
        final SplittableRandom random = new SplittableRandom(SEED);
        final byte[][] data = CodecChecks.randomShards(random, 4, SHARD_LENGTH);
        final byte[][] parity = new byte[1][SHARD_LENGTH];
        codec.encode(data, parity);
        final byte[] expected = new byte[SHARD_LENGTH];
        for (int i = 0; i < SHARD_LENGTH; i++)
        {
            expected[i] = (byte)(data[0][i] ^ data[1][i] ^ data[2][i] ^ data[3][i]);
        }
        assertArrayEquals(expected, parity[0], "seed=" + SEED);
    }

    @Test
    void shouldRebuildEveryPatternOfOneLostShard()
    {
        assertEquals(6, CodecChecks.checkEveryErasurePattern(new XorCodec(4, SHARD_LENGTH), SEED));
        assertEquals(3, CodecChecks.checkEveryErasurePattern(new XorCodec(1, 7), SEED));
    }

    @Test
    void shouldRefuseTwoLostShardsNamingThem()
    {
        CodecChecks.checkRefusesTooManyLosses(new XorCodec(4, SHARD_LENGTH), SEED);
        final XorCodec codec = new XorCodec(4, 8);
        assertMessage("lost: data 1 (shard 1), parity 0 (shard 4)",
            () -> codec.decode(new byte[5][8], new boolean[] {true, false, true, true, false}));
    }

    @Test
    void shouldUpdateParityLikeReEncoding()
    {
        CodecChecks.checkUpdateParity(new XorCodec(4, SHARD_LENGTH), SEED, 500);
    }

    @Test
    void shouldMatchReedSolomonWithOneParityShard()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final byte[][] data = CodecChecks.randomShards(random, 6, SHARD_LENGTH);
        final byte[][] xor = new byte[1][SHARD_LENGTH];
        final byte[][] rs = new byte[1][SHARD_LENGTH];
        new XorCodec(6, SHARD_LENGTH).encode(data, xor);
        new ReedSolomonCodec(6, 1, SHARD_LENGTH).encode(data, rs);
        assertArrayEquals(xor[0], rs[0], "seed=" + SEED);
    }

    @Test
    void shouldRejectBadGeometry()
    {
        assertMessage("dataShards must be at least 1: 0", () -> new XorCodec(0, 64));
        assertMessage("dataShards + parityShards must be at most 256: 256 + 1", () -> new XorCodec(256, 64));
        assertMessage("shardLength must be at least 1: 0", () -> new XorCodec(4, 0));
        new XorCodec(255, 1);
    }

    @Test
    void shouldRejectBadArguments()
    {
        CodecChecks.checkRejectsBadArguments(new XorCodec(4, 64));
    }
}
