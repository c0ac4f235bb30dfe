package io.farline.cli.demo;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Keys drawn as YCSB draws them: ranks from a zipfian distribution (a few keys very hot, a long tail), scattered over
 * the key space by a fixed permutation so that the hot keys are not neighbours. The distribution is a table of
 * cumulative probabilities, searched by bisection: exact, and cheap enough for a demo.
 */
final class ZipfianKeys
{
    /** YCSB's default skew. */
    static final double THETA = 0.99;

    private static final long SCATTER = 1_000_003L; // a prime above any key count: rank -> key is a bijection

    private final double[] cumulative;
    private final int keyCount;

    /**
     * @param keyCount keys, at most 1,000,000.
     */
    ZipfianKeys(final int keyCount)
    {
        if (keyCount < 1 || keyCount >= SCATTER)
        {
            throw new IllegalArgumentException("key count " + keyCount + " is outside 1.." + (SCATTER - 1));
        }
        this.keyCount = keyCount;
        this.cumulative = new double[keyCount];
        double sum = 0;
        for (int rank = 0; rank < keyCount; rank++)
        {
            sum += 1.0 / Math.pow(rank + 1, THETA);
            cumulative[rank] = sum;
        }
        for (int rank = 0; rank < keyCount; rank++)
        {
            cumulative[rank] /= sum;
        }
    }

    /**
     * @return a key in {@code [0, keyCount)}.
     */
    int next(final SplittableRandom random)
    {
        int rank = Arrays.binarySearch(cumulative, random.nextDouble());
        rank = rank >= 0 ? rank : Math.min(-rank - 1, keyCount - 1);
        return (int)((rank * SCATTER) % keyCount);
    }
}
