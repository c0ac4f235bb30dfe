package io.farline.property.transport;

import io.farline.property.harness.Gen;
import io.farline.transport.AccessFlags;

import java.util.SplittableRandom;

/**
 * Draws {@link VerbAction}s: mostly valid requests on a hot area of a region, with out-of-range, negative, huge and
 * int-overflowing offsets, lengths past the end, misaligned atomics, forged rkeys and verbs the region's flags do not
 * allow mixed in, so that every completion status is exercised.
 */
final class VerbActions
{
    /** Largest length a READ or WRITE uses: one local slot. */
    static final int MAX_LENGTH = 8192;
    /** Most completions outstanding: the issuer's completion queue capacity. */
    static final int COMPLETION_QUEUE_CAPACITY = 8;

    private static final long[] HUGE_OFFSETS = {
        Long.MAX_VALUE, Long.MAX_VALUE - 7, 1L << 32, (1L << 32) + 8, Integer.MAX_VALUE, 1L << 31,
        (1L << 31) + 8, 0xFFFF_FFFFL, 1L << 62 };
    private static final long[] NEGATIVE_OFFSETS = {
        -1, -8, Long.MIN_VALUE, Long.MIN_VALUE + 8, Integer.MIN_VALUE, -(1L << 32) };
    private static final int HOT_BYTES = 64;

    private VerbActions()
    {
    }

    static Gen<VerbAction> any()
    {
        return random ->
        {
            final int kind = random.nextInt(100);
            if (kind < 25)
            {
                return read(random);
            }
            if (kind < 50)
            {
                return write(random);
            }
            if (kind < 65)
            {
                return compareAndSwap(random);
            }
            if (kind < 80)
            {
                return fetchAndAdd(random);
            }
            if (kind < 90)
            {
                return localWrite(random);
            }
            return new VerbAction.Poll(random.nextInt(1, COMPLETION_QUEUE_CAPACITY + 1));
        };
    }

    private static VerbAction read(final SplittableRandom random)
    {
        final int region = region(random);
        final int length = length(random, RegionSpec.of(region).lengthBytes());
        return new VerbAction.Read(region, offset(random, RegionSpec.of(region).lengthBytes(), length), length,
            mode(random), wrongKey(random));
    }

    private static VerbAction write(final SplittableRandom random)
    {
        final int region = region(random);
        final int length = length(random, RegionSpec.of(region).lengthBytes());
        return new VerbAction.Write(region, offset(random, RegionSpec.of(region).lengthBytes(), length), length,
            random.nextLong(), mode(random), wrongKey(random));
    }

    private static VerbAction compareAndSwap(final SplittableRandom random)
    {
        final int region = region(random);
        return new VerbAction.CompareAndSwap(region, atomicOffset(random, RegionSpec.of(region).lengthBytes()),
            random.nextBoolean(), value(random), value(random), mode(random), wrongKey(random));
    }

    private static VerbAction fetchAndAdd(final SplittableRandom random)
    {
        final int region = region(random);
        return new VerbAction.FetchAndAdd(region, atomicOffset(random, RegionSpec.of(region).lengthBytes()),
            value(random), mode(random), wrongKey(random));
    }

    private static VerbAction localWrite(final SplittableRandom random)
    {
        // Mostly regions the owner may write; now and then the one without LOCAL_WRITE.
        int region = region(random);
        while (!RegionSpec.of(region).allows(AccessFlags.LOCAL_WRITE) && random.nextInt(4) != 0)
        {
            region = region(random);
        }
        final int size = RegionSpec.of(region).lengthBytes();
        final int length;
        final int offset;
        if (random.nextInt(8) == 0)
        {
            length = random.nextInt(-2, size + 3);
            offset = random.nextInt(-4, size + 5);
        }
        else
        {
            length = random.nextInt(0, Math.min(size, 256) + 1);
            offset = random.nextInt(0, Math.min(size - length, HOT_BYTES) + 1);
        }
        return new VerbAction.LocalWrite(region, offset, length, random.nextLong());
    }

    private static int region(final SplittableRandom random)
    {
        return random.nextInt(5) < 2 ? 0 : random.nextInt(RegionSpec.TABLE.size());
    }

    private static VerbAction.Mode mode(final SplittableRandom random)
    {
        return random.nextInt(5) < 2 ? VerbAction.Mode.POSTED : VerbAction.Mode.BLOCKING;
    }

    private static boolean wrongKey(final SplittableRandom random)
    {
        return random.nextInt(20) == 0;
    }

    private static int length(final SplittableRandom random, final int size)
    {
        switch (random.nextInt(20))
        {
            case 0:
                return 0;
            case 1:
                return random.nextBoolean() ? -1 : random.nextBoolean() ? Integer.MIN_VALUE : -random.nextInt(2, 64);
            case 2:
                return size;
            case 3:
                return size + 1;
            case 4:
                return random.nextInt(size + 1, MAX_LENGTH + 1);
            case 5:
            case 6:
            case 7:
            case 8:
                return random.nextInt(1, Math.min(size, 16) + 1);
            default:
                return random.nextInt(1, size + 1);
        }
    }

    private static long offset(final SplittableRandom random, final int size, final int length)
    {
        final int room = Math.max(0, size - Math.max(0, length));
        switch (random.nextInt(20))
        {
            case 0:
                return NEGATIVE_OFFSETS[random.nextInt(NEGATIVE_OFFSETS.length)];
            case 1:
                return HUGE_OFFSETS[random.nextInt(HUGE_OFFSETS.length)];
            case 2:
                return room + 1L;
            case 3:
                return room;
            case 4:
                return size;
            case 5:
                return size + random.nextInt(1, 64);
            case 6:
            case 7:
            case 8:
            case 9:
                return random.nextInt(0, room + 1);
            default:
                return random.nextInt(0, Math.min(room, HOT_BYTES) + 1);
        }
    }

    private static long atomicOffset(final SplittableRandom random, final int size)
    {
        final int words = size / Long.BYTES;
        switch (random.nextInt(20))
        {
            case 0:
                return NEGATIVE_OFFSETS[random.nextInt(NEGATIVE_OFFSETS.length)];
            case 1:
                return HUGE_OFFSETS[random.nextInt(HUGE_OFFSETS.length)];
            case 2:
            case 3:
                return random.nextInt(0, Math.max(1, size)) | random.nextInt(1, 8);
            case 4:
                return (words - 1L) * Long.BYTES;
            case 5:
                return (long)words * Long.BYTES;
            case 6:
                return size - Long.BYTES;
            case 7:
            case 8:
            case 9:
                return (long)random.nextInt(0, Math.max(1, words)) * Long.BYTES;
            default:
                return (long)random.nextInt(0, Math.max(1, Math.min(words, HOT_BYTES / Long.BYTES))) * Long.BYTES;
        }
    }

    private static long value(final SplittableRandom random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return random.nextLong();
            case 1:
                return -random.nextInt(0, 100);
            default:
                return random.nextInt(0, 100);
        }
    }
}
