package io.farline.core.far.prefetch;

/**
 * The settings of a {@link Prefetcher}: the size of the address space it predicts into, how far ahead it may fetch,
 * and the size and confidence threshold of its delta-correlation table. Immutable and thread-safe; build one with
 * {@link #builder()}.
 */
public final class PrefetcherConfig
{
    /** The default most pages one event may prefetch: 8. */
    public static final int DEFAULT_MAX_DEPTH = 8;
    /** The largest accepted depth: 64 pages per event. */
    public static final int MAX_DEPTH = 64;
    /** The default number of entries in the delta-correlation table: 1024. */
    public static final int DEFAULT_DELTA_TABLE_SIZE = 1024;
    /** The smallest delta-correlation table: one probe window. */
    public static final int MIN_DELTA_TABLE_SIZE = DeltaTable.PROBE_LENGTH;
    /** The largest delta-correlation table: 2^24 entries (about 400 MiB of heap). */
    public static final int MAX_DELTA_TABLE_SIZE = 1 << 24;
    /** The default confidence a table entry needs before it is used: seen, then confirmed once. */
    public static final int DEFAULT_MIN_CONFIDENCE = 2;

    private final long pageCount;
    private final int maxDepth;
    private final int deltaTableSize;
    private final int minConfidence;

    private PrefetcherConfig(
        final long pageCount, final int maxDepth, final int deltaTableSize, final int minConfidence)
    {
        this.pageCount = pageCount;
        this.maxDepth = maxDepth;
        this.deltaTableSize = deltaTableSize;
        this.minConfidence = minConfidence;
    }

    /**
     * @return a builder with the defaults set and no page count (which must be set).
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * A configuration with the default depth, table size and confidence threshold.
     *
     * @param pageCount the number of pages in the address space, at least 1.
     * @return the configuration.
     * @throws IllegalArgumentException if the page count is below 1.
     */
    public static PrefetcherConfig of(final long pageCount)
    {
        return builder().pageCount(pageCount).build();
    }

    /**
     * Checks settings given in configuration or read from a file.
     *
     * @param pageCount      the number of pages in the address space.
     * @param maxDepth       the most pages one event may prefetch.
     * @param deltaTableSize the number of entries in the delta-correlation table.
     * @param minConfidence  the confidence a table entry needs before it is used.
     * @return null if valid, else what is wrong, with the bad value.
     */
    public static String check(final long pageCount, final int maxDepth, final int deltaTableSize,
        final int minConfidence)
    {
        if (pageCount <= 0)
        {
            return "page count " + pageCount + " must be at least 1";
        }
        if (maxDepth < 1 || maxDepth > MAX_DEPTH)
        {
            return "max depth " + maxDepth + " must be from 1 to " + MAX_DEPTH + " pages";
        }
        if (Integer.bitCount(deltaTableSize) != 1 || deltaTableSize < MIN_DELTA_TABLE_SIZE ||
            deltaTableSize > MAX_DELTA_TABLE_SIZE)
        {
            return "delta table size " + deltaTableSize + " must be a power of two from " + MIN_DELTA_TABLE_SIZE +
                " to " + MAX_DELTA_TABLE_SIZE;
        }
        if (minConfidence < 1 || minConfidence > DeltaTable.MAX_CONFIDENCE)
        {
            return "min confidence " + minConfidence + " must be from 1 to " + DeltaTable.MAX_CONFIDENCE;
        }
        return null;
    }

    /**
     * @return the number of pages in the address space; every prediction is below it.
     */
    public long pageCount()
    {
        return pageCount;
    }

    /**
     * @return the most pages one event may prefetch, before the caller's array length caps it further.
     */
    public int maxDepth()
    {
        return maxDepth;
    }

    /**
     * @return the number of entries in the delta-correlation table, a power of two.
     */
    public int deltaTableSize()
    {
        return deltaTableSize;
    }

    /**
     * @return the confidence, from 1 to 3, a table entry needs before its prediction is used.
     */
    public int minConfidence()
    {
        return minConfidence;
    }

    @Override
    public String toString()
    {
        return "PrefetcherConfig{pageCount=" + pageCount + ", maxDepth=" + maxDepth + ", deltaTableSize=" +
            deltaTableSize + ", minConfidence=" + minConfidence + '}';
    }

    /**
     * Collects settings for a {@link PrefetcherConfig}; checks them all in {@link #build()}. Not thread-safe.
     */
    public static final class Builder
    {
        private long pageCount;
        private int maxDepth = DEFAULT_MAX_DEPTH;
        private int deltaTableSize = DEFAULT_DELTA_TABLE_SIZE;
        private int minConfidence = DEFAULT_MIN_CONFIDENCE;

        private Builder()
        {
        }

        /**
         * @param pageCount the number of pages in the address space, at least 1; no default.
         * @return this builder.
         */
        public Builder pageCount(final long pageCount)
        {
            this.pageCount = pageCount;
            return this;
        }

        /**
         * @param maxDepth the most pages one event may prefetch, from 1 to {@link PrefetcherConfig#MAX_DEPTH};
         *                 default {@link PrefetcherConfig#DEFAULT_MAX_DEPTH}.
         * @return this builder.
         */
        public Builder maxDepth(final int maxDepth)
        {
            this.maxDepth = maxDepth;
            return this;
        }

        /**
         * @param deltaTableSize entries in the delta-correlation table, a power of two from
         *                       {@link PrefetcherConfig#MIN_DELTA_TABLE_SIZE} to
         *                       {@link PrefetcherConfig#MAX_DELTA_TABLE_SIZE}; default
         *                       {@link PrefetcherConfig#DEFAULT_DELTA_TABLE_SIZE}.
         * @return this builder.
         */
        public Builder deltaTableSize(final int deltaTableSize)
        {
            this.deltaTableSize = deltaTableSize;
            return this;
        }

        /**
         * @param minConfidence the confidence, from 1 (seen once) to 3, a table entry needs before its prediction
         *                      is used; default {@link PrefetcherConfig#DEFAULT_MIN_CONFIDENCE}.
         * @return this builder.
         */
        public Builder minConfidence(final int minConfidence)
        {
            this.minConfidence = minConfidence;
            return this;
        }

        /**
         * @return the configuration.
         * @throws IllegalArgumentException naming the setting that is wrong, its value and the accepted range.
         */
        public PrefetcherConfig build()
        {
            final String problem = check(pageCount, maxDepth, deltaTableSize, minConfidence);
            if (null != problem)
            {
                throw new IllegalArgumentException(problem);
            }
            return new PrefetcherConfig(pageCount, maxDepth, deltaTableSize, minConfidence);
        }
    }
}
