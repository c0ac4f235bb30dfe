package io.farline.core.parity;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property checks shared by the codec tests. Every check is driven by a seed that appears in each failure message;
 * the default seed can be overridden with {@code -Dfarline.parity.seed=N} to explore.
 */
final class CodecChecks
{
    static final long SEED = Long.getLong("farline.parity.seed", 0x5EED_FA11L);

    private CodecChecks()
    {
    }

    static byte[][] randomShards(final SplittableRandom random, final int count, final int length)
    {
        final byte[][] shards = new byte[count][length];
        for (final byte[] shard : shards)
        {
            fill(random, shard);
        }
        return shards;
    }

    static void fill(final SplittableRandom random, final byte[] bytes)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)random.nextInt(256);
        }
    }

    static byte[][] copy(final byte[][] shards)
    {
        final byte[][] copy = new byte[shards.length][];
        for (int i = 0; i < shards.length; i++)
        {
            copy[i] = shards[i].clone();
        }
        return copy;
    }

    /** Encodes random data and returns the full stripe, data then parity. */
    static byte[][] encodedStripe(final ErasureCodec codec, final SplittableRandom random)
    {
        final int k = codec.dataShards();
        final int m = codec.parityShards();
        final byte[][] data = randomShards(random, k, codec.shardLength());
        final byte[][] parity = randomShards(random, m, codec.shardLength());
        codec.encode(data, parity);
        final byte[][] stripe = new byte[k + m][];
        System.arraycopy(data, 0, stripe, 0, k);
        System.arraycopy(parity, 0, stripe, k, m);
        return stripe;
    }

    /**
     * Erases every set of at most m shards in turn (overwriting them with garbage), decodes, and compares the
     * whole stripe byte for byte. Returns the number of erasure patterns checked.
     */
    static int checkEveryErasurePattern(final ErasureCodec codec, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int total = codec.totalShards();
        final byte[][] stripe = encodedStripe(codec, random);
        final byte[][] work = copy(stripe);
        final boolean[] present = new boolean[total];
        int patterns = 0;
        for (int mask = 0; mask < 1 << total; mask++)
        {
            if (Integer.bitCount(mask) > codec.parityShards())
            {
                continue;
            }
            for (int i = 0; i < total; i++)
            {
                present[i] = 0 == (mask & (1 << i));
                if (present[i])
                {
                    System.arraycopy(stripe[i], 0, work[i], 0, stripe[i].length);
                }
                else
                {
                    fill(random, work[i]);
                }
            }
            codec.decode(work, present);
            for (int i = 0; i < total; i++)
            {
                final int shard = i;
                assertArrayEquals(stripe[i], work[i], () -> codec + " seed=" + seed + " lost=" +
                    lostList(present) + ": shard " + shard + " differs");
            }
            patterns++;
        }
        return patterns;
    }

    /** Erases m + 1 random shards and checks decode refuses, names them all, and writes nothing. */
    static void checkRefusesTooManyLosses(final ErasureCodec codec, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int total = codec.totalShards();
        for (int round = 0; round < 20; round++)
        {
            final byte[][] stripe = encodedStripe(codec, random);
            final byte[][] work = copy(stripe);
            final boolean[] present = new boolean[total];
            Arrays.fill(present, true);
            int lost = 0;
            while (lost <= codec.parityShards())
            {
                final int victim = random.nextInt(total);
                if (present[victim])
                {
                    present[victim] = false;
                    lost++;
                }
            }
            final String context = codec + " seed=" + seed + " lost=" + lostList(present);
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> codec.decode(work, present), context);
            for (int i = 0; i < total; i++)
            {
                assertEquals(!present[i], ex.getMessage().contains("(shard " + i + ")"),
                    context + ": message '" + ex.getMessage() + "' and shard " + i);
                assertArrayEquals(stripe[i], work[i], context + ": refused decode wrote shard " + i);
            }
        }
    }

    /**
     * Applies random sub-range updates of random data shards through updateParity and checks the parity equals a
     * fresh encode after each. Returns the number of updates checked.
     */
    static int checkUpdateParity(final ErasureCodec codec, final long seed, final int rounds)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int k = codec.dataShards();
        final int m = codec.parityShards();
        final int length = codec.shardLength();
        final byte[][] data = randomShards(random, k, length);
        final byte[][] parity = new byte[m][length];
        final byte[][] expected = new byte[m][length];
        codec.encode(data, parity);
        for (int round = 0; round < rounds; round++)
        {
            final int dataIndex = random.nextInt(k);
            final int offset = random.nextInt(length + 1);
            final int count = random.nextInt(length - offset + 1);
            final byte[] old = data[dataIndex].clone();
            for (int i = offset; i < offset + count; i++)
            {
                data[dataIndex][i] = (byte)random.nextInt(256);
            }
            codec.updateParity(dataIndex, old, data[dataIndex], offset, count, parity);
            codec.encode(data, expected);
            for (int i = 0; i < m; i++)
            {
                final int p = i;
                final int r = round;
                assertArrayEquals(expected[i], parity[i], () -> codec + " seed=" + seed + " round=" + r +
                    " update of data " + dataIndex + " [" + offset + ", +" + count + "): parity " + p + " differs");
            }
        }
        return rounds;
    }

    /** The argument checks every codec shares. */
    static void checkRejectsBadArguments(final ErasureCodec codec)
    {
        final int k = codec.dataShards();
        final int m = codec.parityShards();
        final int n = codec.shardLength();
        final byte[][] data = new byte[k][n];
        final byte[][] parity = new byte[m][n];

        assertMessage("data must hold " + k, () -> codec.encode(new byte[k + 1][n], parity));
        assertMessage("parity must hold " + m, () -> codec.encode(data, new byte[m + 1][n]));
        final byte[][] shortData = new byte[k][n];
        shortData[k - 1] = new byte[n - 1];
        assertMessage("data[" + (k - 1) + "] must be " + n + " bytes", () -> codec.encode(shortData, parity));
        final byte[][] longParity = new byte[m][n];
        longParity[0] = new byte[n + 1];
        assertMessage("parity[0] must be " + n + " bytes", () -> codec.encode(data, longParity));
        assertThrows(NullPointerException.class, () -> codec.encode(null, parity));

        final byte[][] stripe = new byte[k + m][n];
        final boolean[] present = new boolean[k + m];
        Arrays.fill(present, true);
        assertMessage("shards must hold " + (k + m), () -> codec.decode(new byte[k + m - 1][n], present));
        assertMessage("present must hold " + (k + m), () -> codec.decode(stripe, new boolean[k + m + 1]));
        final byte[][] badStripe = new byte[k + m][n];
        badStripe[k] = new byte[0];
        assertMessage("shards[" + k + "] must be", () -> codec.decode(badStripe, present));

        final byte[] line = new byte[n];
        assertMessage("dataIndex must be in [0, " + k + ")",
            () -> codec.updateParity(k, line, line, 0, 1, parity));
        assertMessage("dataIndex must be in", () -> codec.updateParity(-1, line, line, 0, 1, parity));
        assertMessage("outside the shard", () -> codec.updateParity(0, line, line, n, 1, parity));
        assertMessage("outside the shard", () -> codec.updateParity(0, line, line, -1, 1, parity));
        assertMessage("outside the shard", () -> codec.updateParity(0, line, line, 0, -1, parity));
        assertMessage("outside the shard",
            () -> codec.updateParity(0, line, line, 1, Integer.MAX_VALUE, parity));
        assertMessage("oldData must be at least " + n,
            () -> codec.updateParity(0, new byte[n - 1], line, 0, n, parity));
        assertMessage("newData must be at least " + n,
            () -> codec.updateParity(0, line, new byte[n - 1], 0, n, parity));
        assertMessage("parity must hold " + m, () -> codec.updateParity(0, line, line, 0, n, new byte[m + 1][n]));
    }

    static void assertMessage(final String fragment, final org.junit.jupiter.api.function.Executable call)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, call, fragment);
        assertTrue(ex.getMessage().contains(fragment), () -> "'" + ex.getMessage() + "' lacks '" + fragment + "'");
    }

    static String lostList(final boolean[] present)
    {
        final StringBuilder lost = new StringBuilder("[");
        for (int i = 0; i < present.length; i++)
        {
            if (!present[i])
            {
                lost.append(lost.length() > 1 ? "," : "").append(i);
            }
        }
        return lost.append(']').toString();
    }
}
