package io.farline.bench;

import io.farline.core.tracking.TrackedMemory;
import io.farline.core.tracking.TrackingGeometry;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The memory and the access patterns of the tracking suite: a 64 MiB region (larger than the caches, so random stores
 * miss as they would in a large heap of tracked data), made either as raw page-aligned direct memory behind a plain
 * {@link UnsafeBuffer} (the unpaired baselines) or as {@link TrackedMemory} with 4 KiB pages and 64-byte lines (the
 * subjects, and the paired baselines through its untracked view, see {@link PairedTimes}), and seeded pseudo-random
 * offsets and line orders, so that subject and baseline store to the same places.
 * <p>
 * An unpaired baseline's fork never loads the tracked classes, so its {@code UnsafeBuffer} calls stay as the JIT
 * compiles them in an application without tracking.
 */
final class TrackingRegions
{
    /** Length of every region of the suite. */
    static final int REGION_LENGTH_BYTES = 64 * 1024 * 1024;
    /** The page, and the alignment of the raw region (as {@link TrackedMemory#allocate} aligns its data). */
    static final int PAGE_LENGTH_BYTES = TrackingGeometry.DEFAULT_PAGE_SIZE_BYTES;
    /** The tracking unit: one cache line. */
    static final int LINE_LENGTH_BYTES = TrackingGeometry.LINE_SIZE_BYTES;
    /** log2 of {@link #LINE_LENGTH_BYTES}: an offset shifted right by it is its line. */
    static final int LINE_SHIFT = Integer.numberOfTrailingZeros(LINE_LENGTH_BYTES);
    /** Lines (tracking units, bitmap bits) in a region. */
    static final int LINE_COUNT = REGION_LENGTH_BYTES / LINE_LENGTH_BYTES;
    /** Seed of every pseudo-random pattern, so each fork, subject and baseline alike, sees the same one. */
    static final long SEED = 0x5EED_F4A1_11E5L;

    private TrackingRegions()
    {
    }

    /**
     * @return a raw region: zeroed (so every page is already faulted in), page-aligned direct memory.
     */
    static UnsafeBuffer allocateRaw()
    {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(REGION_LENGTH_BYTES, PAGE_LENGTH_BYTES));
    }

    /**
     * @return a tracked region of the same length and alignment, every line clean.
     */
    static TrackedMemory allocateTracked()
    {
        return TrackedMemory.allocate(TrackingGeometry.of(REGION_LENGTH_BYTES));
    }

    /**
     * Marks every line of a tracked region dirty, as it is once every line was stored to in the current epoch.
     *
     * @param memory the tracked region.
     */
    static void markAllDirty(final TrackedMemory memory)
    {
        memory.dirtyBitmap().markUnits(0, memory.geometry().unitCount() - 1);
    }

    /**
     * @param count             how many offsets.
     * @param regionLengthBytes the region, a positive multiple of 8.
     * @param seed              of the pseudo-random sequence.
     * @return {@code count} uniformly random 8-byte-aligned offsets of longs inside the region.
     */
    static int[] randomLongOffsets(final int count, final int regionLengthBytes, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int slots = regionLengthBytes / Long.BYTES;
        final int[] offsets = new int[count];
        for (int i = 0; i < count; i++)
        {
            offsets[i] = random.nextInt(slots) * Long.BYTES;
        }
        return offsets;
    }

    /**
     * @param lineCount how many lines.
     * @param seed      of the pseudo-random shuffle.
     * @return a random permutation of {@code 0 .. lineCount - 1} (Fisher-Yates).
     */
    static int[] linePermutation(final int lineCount, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] lines = new int[lineCount];
        for (int i = 0; i < lineCount; i++)
        {
            lines[i] = i;
        }
        for (int i = lineCount - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int line = lines[i];
            lines[i] = lines[j];
            lines[j] = line;
        }
        return lines;
    }

    /**
     * @param lineCount lines in the region.
     * @param percent   share of them to pick, 1 to 100.
     * @param seed      of the pseudo-random choice.
     * @return {@code lineCount * percent / 100} distinct random lines, in ascending order.
     * @throws IllegalArgumentException if the percentage is outside 1 to 100.
     */
    static int[] randomDistinctLines(final int lineCount, final int percent, final long seed)
    {
        if (percent < 1 || percent > 100)
        {
            throw new IllegalArgumentException("percentage of dirty lines " + percent + " must be from 1 to 100");
        }
        final int[] lines = Arrays.copyOf(linePermutation(lineCount, seed), (int)((long)lineCount * percent / 100));
        Arrays.sort(lines);
        return lines;
    }
}
