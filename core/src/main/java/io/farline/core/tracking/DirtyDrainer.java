package io.farline.core.tracking;

import io.farline.core.internal.ProcessWideBarrier;

/**
 * Collects the dirty units of a tracked region: takes bitmap words with an atomic swap to zero, coalesces adjacent
 * dirty units into runs, and delivers them into a caller's {@link DirtyRuns}, allocating nothing.
 * <p>
 * A drainer walks the bitmap from its cursor to the end; reaching the end ends an epoch (the bitmap's epoch counter
 * is incremented) and the next drain starts again at the first word. When the caller's buffer fills first, the bits
 * already taken but not delivered are set again and the next drain resumes at that word, so nothing is held between
 * calls and nothing is lost if the drainer is abandoned. If the barrier fails (it cannot, short of a kernel bug), the
 * drain sets every bit it took again before it throws.
 * <p>
 * Each drain that took any bits runs {@link ProcessWideBarrier#run()} before returning, so the caller may read the
 * data of every delivered run as soon as {@code drain} returns: it sees every store whose bit the drain took (see
 * {@link DirtyBitmap}'s ordering contract). A store made after the take sets the bit again and is delivered by a
 * later drain, even if the caller also happened to read its value.
 * <p>
 * Threading: one drainer per bitmap, used by one thread at a time (it owns the cursor and the epoch).
 */
public final class DirtyDrainer
{
    private final DirtyBitmap bitmap;
    private final int unitShift;
    private final int wordCount;
    private final int unitCount;
    private int nextWord;

    /**
     * @param bitmap to drain.
     */
    public DirtyDrainer(final DirtyBitmap bitmap)
    {
        this.bitmap = bitmap;
        this.unitShift = bitmap.geometry().unitShift();
        this.wordCount = bitmap.wordCount();
        this.unitCount = bitmap.geometry().unitCount();
    }

    /**
     * Delivers dirty runs from the cursor on, until the end of the bitmap or until {@code runs} is full. Adjacent
     * dirty units, also across bitmap words, make one run.
     *
     * @param runs the caller's buffer, emptied first; {@link DirtyRuns#endsEpoch()} says whether the pass finished.
     * @return the number of runs delivered.
     * @throws IllegalStateException if the bitmap's tracked memory is closed.
     */
    public int drain(final DirtyRuns runs)
    {
        bitmap.checkOpen();
        runs.reset();
        final DirtyBitmap bitmap = this.bitmap;
        boolean tookAny = false;
        int word = nextWord;
        for (; word < wordCount; word++)
        {
            final long bits = bitmap.takeWord(word);
            if (0 == bits)
            {
                continue;
            }
            tookAny = true;
            final long undelivered = addRuns(word, bits, runs);
            if (0 != undelivered)
            {
                // The buffer is full: hand the undelivered bits back and resume at this word next time.
                bitmap.restoreBits(word, undelivered);
                nextWord = word;
                finish(tookAny, runs);
                return runs.count();
            }
        }
        nextWord = 0;
        finish(tookAny, runs);
        bitmap.incrementEpochRelease();
        runs.endEpoch();
        return runs.count();
    }

    /**
     * Delivers the dirty runs of units {@code firstUnit..firstUnit+unitCount-1} only, for instance one page about to
     * leave a cache, without moving the cursor or ending an epoch. Bits of other units that share a bitmap word with
     * the range are set again at once. Runs the barrier before returning, as {@link #drain} does.
     *
     * @param firstUnit first unit of the range.
     * @param unitCount units in the range, at least 1.
     * @param runs      the caller's buffer, emptied first; it must hold every run of the range (at most
     *                  {@code unitCount / 2 + 1}).
     * @return the number of runs delivered.
     * @throws IllegalArgumentException if the range is outside the bitmap or the buffer too small for it.
     * @throws IllegalStateException if the bitmap's tracked memory is closed.
     */
    public int drainUnits(final int firstUnit, final int unitCount, final DirtyRuns runs)
    {
        bitmap.checkOpen();
        if (firstUnit < 0 || unitCount < 1 || firstUnit > this.unitCount - unitCount)
        {
            throw new IllegalArgumentException("units " + firstUnit + "+" + unitCount + " are outside 0.." +
                (this.unitCount - 1));
        }
        if (runs.capacity() < unitCount / 2 + 1)
        {
            throw new IllegalArgumentException("a buffer of " + runs.capacity() + " runs may not hold the runs of " +
                unitCount + " units; it needs " + (unitCount / 2 + 1));
        }
        runs.reset();
        final int lastUnit = firstUnit + unitCount - 1;
        boolean tookAny = false;
        for (int word = firstUnit >>> 6; word <= lastUnit >>> 6; word++)
        {
            final long mask = DirtyBitmap.wordMask(word, firstUnit, lastUnit);
            final long taken = bitmap.takeWord(word);
            bitmap.restoreBits(word, taken & ~mask);
            tookAny |= 0 != (taken & mask);
            addRuns(word, taken & mask, runs); // the buffer holds every run of the range: nothing is left over
        }
        finish(tookAny, runs);
        return runs.count();
    }

    /**
     * Drains a whole epoch into {@code runs}, which must be large enough; used by tests and tools.
     *
     * @param runs the caller's buffer.
     * @return the number of runs delivered.
     * @throws IllegalStateException if the buffer filled before the epoch ended (the rest stays dirty).
     */
    public int drainEpoch(final DirtyRuns runs)
    {
        final int count = drain(runs);
        if (!runs.endsEpoch())
        {
            throw new IllegalStateException("a run buffer of " + runs.capacity() + " runs filled before the end of " +
                "the epoch; the remaining units stay dirty for the next drain");
        }
        return count;
    }

    /**
     * @return the word the next drain starts at.
     */
    public int nextWord()
    {
        return nextWord;
    }

    /**
     * @return the number of tracking units the drained bitmap covers.
     */
    public int unitCount()
    {
        return unitCount;
    }

    /**
     * Adds the runs of one word's bits, coalescing with the last run.
     *
     * @return the bits not added because the buffer filled, 0 if all were.
     */
    private long addRuns(final int word, final long wordBits, final DirtyRuns runs)
    {
        long bits = wordBits;
        while (0 != bits)
        {
            final int start = Long.numberOfTrailingZeros(bits);
            final int length = Long.numberOfTrailingZeros(~(bits >>> start));
            if (!runs.addOrExtend(((word << 6) + start) << unitShift, length << unitShift))
            {
                return bits;
            }
            bits &= length == 64 ? 0 : ~(((1L << length) - 1) << start);
        }
        return 0;
    }

    private void finish(final boolean tookAny, final DirtyRuns runs)
    {
        if (tookAny)
        {
            try
            {
                // Every store whose bit was taken above becomes visible before the caller reads the runs' data.
                ProcessWideBarrier.run();
            }
            catch (final RuntimeException | Error ex)
            {
                giveBack(runs);
                throw ex;
            }
        }
    }

    /**
     * Sets the bits of every run again, so that a drain that cannot complete loses nothing.
     */
    void giveBack(final DirtyRuns runs)
    {
        for (int i = 0; i < runs.count(); i++)
        {
            final int first = runs.offsetBytes(i) >>> unitShift;
            final int last = first + (runs.lengthBytes(i) >>> unitShift) - 1;
            for (int word = first >>> 6; word <= last >>> 6; word++)
            {
                bitmap.restoreBits(word, DirtyBitmap.wordMask(word, first, last));
            }
        }
        runs.reset();
    }
}
