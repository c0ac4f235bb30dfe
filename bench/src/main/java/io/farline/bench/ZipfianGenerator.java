package io.farline.bench;

import java.util.SplittableRandom;

/**
 * A seeded zipfian generator of ranks {@code 0..items-1}, rank {@code r} drawn with probability proportional to
 * {@code 1 / (r + 1)^theta}: the algorithm of Gray et al., "Quickly Generating Billion-Record Synthetic Databases"
 * (SIGMOD 1994), as YCSB's {@code ZipfianGenerator} uses it (ranks 0 and 1 exact, the rest from a closed-form
 * approximation of the inverse distribution). YCSB's default constant is {@link #YCSB_THETA}.
 * <p>
 * Set-up computes the zeta constant in O(items); each draw is O(1) and allocates nothing. Not thread-safe.
 */
final class ZipfianGenerator
{
    /** YCSB's zipfian constant. */
    static final double YCSB_THETA = 0.99;

    private final long items;
    private final double theta;
    private final double zetaN;
    private final double alpha;
    private final double eta;
    private final double rankOneBound;
    private final SplittableRandom random;

    /**
     * @param items how many ranks, at least 2.
     * @param theta the skew, in (0, 1).
     * @param seed  of the draws.
     */
    ZipfianGenerator(final long items, final double theta, final long seed)
    {
        if (items < 2)
        {
            throw new IllegalArgumentException("a zipfian over " + items + " items: at least 2 are needed");
        }
        if (!(theta > 0 && theta < 1))
        {
            throw new IllegalArgumentException("zipfian constant " + theta + " is outside (0, 1)");
        }
        this.items = items;
        this.theta = theta;
        this.zetaN = zeta(items, theta);
        this.alpha = 1.0 / (1.0 - theta);
        this.eta = (1.0 - Math.pow(2.0 / items, 1.0 - theta)) / (1.0 - zeta(2, theta) / zetaN);
        this.rankOneBound = 1.0 + Math.pow(0.5, theta);
        this.random = new SplittableRandom(seed);
    }

    /**
     * @return the next rank, in {@code 0..items-1}; 0 is the most frequent.
     */
    long nextRank()
    {
        final double u = random.nextDouble();
        final double uz = u * zetaN;
        if (uz < 1.0)
        {
            return 0;
        }
        if (uz < rankOneBound)
        {
            return 1;
        }
        final long rank = (long)(items * Math.pow(eta * u - eta + 1.0, alpha));
        return Math.min(rank, items - 1);
    }

    long items()
    {
        return items;
    }

    /**
     * @param rank a rank.
     * @return its probability under the exact zipfian distribution (what the draws approximate).
     */
    double probability(final long rank)
    {
        return 1.0 / (Math.pow(rank + 1, theta) * zetaN);
    }

    /**
     * @return {@code sum(1 / i^theta)} for {@code i} in {@code 1..n}.
     */
    static double zeta(final long n, final double theta)
    {
        double sum = 0;
        for (long i = 1; i <= n; i++)
        {
            sum += 1.0 / Math.pow(i, theta);
        }
        return sum;
    }
}
