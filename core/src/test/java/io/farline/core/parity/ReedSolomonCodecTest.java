package io.farline.core.parity;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.farline.core.parity.CodecChecks.SEED;
import static io.farline.core.parity.CodecChecks.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    @ParameterizedTest(name = "{0}+{1}, {2} bytes")
    @CsvSource({"4, 2, 1003", "4, 2, 24581", "8, 2, 1003", "8, 2, 24581"})
    void shouldRebuildEveryPatternAgainWhenItsPlanIsCached(final int k, final int m, final int shardLength)
    {
        // The first sweep builds and caches a plan per pattern; the later ones decode other stripes through the
        // cached plans, so a plan that kept anything of the stripe it was built on would fail here.
        final ReedSolomonCodec codec = new ReedSolomonCodec(k, m, shardLength);
        for (int sweep = 0; sweep < 3; sweep++)
        {
            CodecChecks.checkEveryErasurePattern(codec, SEED + 1009L * sweep + 31L * k + m);
        }
    }

    @Test
    void shouldNotAllocateWhenDecodingACachedPattern()
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final long threadId = Thread.currentThread().getId();
        final ReedSolomonCodec codec = new ReedSolomonCodec(8, 2, SHARD_LENGTH);
        final byte[][] work = CodecChecks.encodedStripe(codec, new SplittableRandom(SEED));
        final boolean[] dataLost = {false, true, true, true, true, false, true, true, true, true};
        final boolean[] mixedLost = {true, true, true, false, true, true, true, true, true, false};

        codec.decode(work, dataLost);
        codec.decode(work, mixedLost);
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 1000; i++)
        {
            codec.decode(work, dataLost);
            codec.decode(work, mixedLost);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        // A rebuilt plan costs a few hundred bytes, so 2,000 decodes that each built one would show megabytes.
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes over 2,000 decodes of cached patterns");
    }

    @Test
    void shouldRebuildCorrectlyWhenThreadsShareOneCodec() throws Exception
    {
        // Fresh codec, so the threads race to build and cache the same plans as well as decoding through them.
        final int k = 8;
        final int m = 2;
        final int threadCount = 4;
        final ReedSolomonCodec codec = new ReedSolomonCodec(k, m, SHARD_LENGTH);
        final CyclicBarrier start = new CyclicBarrier(threadCount);
        final ExecutorService pool = Executors.newFixedThreadPool(threadCount);
        try
        {
            final List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threadCount; t++)
            {
                final long seed = SEED + 7919L * t;
                results.add(pool.submit(() ->
                {
                    start.await();
                    return CodecChecks.checkEveryErasurePattern(codec, seed);
                }));
            }
            for (final Future<Integer> result : results)
            {
                assertEquals(56, result.get(60, TimeUnit.SECONDS), "seed=" + SEED);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
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
