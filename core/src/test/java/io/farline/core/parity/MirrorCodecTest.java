package io.farline.core.parity;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MirrorCodecTest
{
    @Test
    void shouldCopyOnEncodeRebuildAnyTwoLostOfThreeAndUpdateCopiesWithTheNewBytes()
    {
        final MirrorCodec codec = new MirrorCodec(2, 256);
        final SplittableRandom random = new SplittableRandom(7);
        final byte[][] shards = new byte[3][256];
        random.nextBytes(shards[0]);
        codec.encode(new byte[][]{ shards[0] }, new byte[][]{ shards[1], shards[2] });
        assertArrayEquals(shards[0], shards[1]);
        assertArrayEquals(shards[0], shards[2]);

        final byte[] original = shards[0].clone();
        for (int keep = 0; keep < 3; keep++)
        {
            final boolean[] present = new boolean[3];
            present[keep] = true;
            for (int i = 0; i < 3; i++)
            {
                if (i != keep)
                {
                    random.nextBytes(shards[i]); // garbage where the shard was lost
                }
            }
            codec.decode(shards, present);
            for (final byte[] shard : shards)
            {
                assertArrayEquals(original, shard, "kept shard " + keep);
            }
        }

        final byte[] updated = original.clone();
        updated[70] ^= 0x5A;
        codec.updateParity(0, original, updated, 64, 64, new byte[][]{ shards[1], shards[2] });
        assertArrayEquals(updated, shards[1]);
        assertArrayEquals(updated, shards[2]);
        assertThrows(IllegalArgumentException.class, () -> codec.decode(shards, new boolean[3]));
        assertThrows(IllegalArgumentException.class, () -> new MirrorCodec(0, 256));
    }
}
