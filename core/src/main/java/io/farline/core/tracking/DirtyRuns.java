package io.farline.core.tracking;

/**
 * A caller-owned, reusable buffer that a {@link DirtyDrainer} fills with dirty runs: byte ranges of the tracked
 * region made of adjacent dirty units, in ascending order. Allocated once, refilled by every drain; a drain allocates
 * nothing. Not thread-safe: one drainer thread fills it and then reads it.
 */
public final class DirtyRuns
{
    private final int[] offsetsBytes;
    private final int[] lengthsBytes;
    private int count;
    private boolean endsEpoch;

    /**
     * @param capacity the most runs one drain may deliver, at least 1.
     * @throws IllegalArgumentException if the capacity is below 1.
     */
    public DirtyRuns(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity " + capacity + " must be at least 1");
        }
        this.offsetsBytes = new int[capacity];
        this.lengthsBytes = new int[capacity];
    }

    /**
     * @return the most runs one drain may deliver.
     */
    public int capacity()
    {
        return offsetsBytes.length;
    }

    /**
     * @return the number of runs the last drain delivered.
     */
    public int count()
    {
        return count;
    }

    /**
     * @param index of a run, {@code 0 <= index < count()}.
     * @return offset of the run's first byte in the tracked region.
     */
    public int offsetBytes(final int index)
    {
        checkIndex(index);
        return offsetsBytes[index];
    }

    /**
     * @param index of a run, {@code 0 <= index < count()}.
     * @return length of the run in bytes, a multiple of the tracking unit.
     */
    public int lengthBytes(final int index)
    {
        checkIndex(index);
        return lengthsBytes[index];
    }

    /**
     * @return the sum of the delivered runs' lengths.
     */
    public long totalBytes()
    {
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            total += lengthsBytes[i];
        }
        return total;
    }

    /**
     * @return true if the last drain reached the end of the bitmap, ending an epoch; false if it stopped early
     * because this buffer was full, and the next drain goes on where it stopped.
     */
    public boolean endsEpoch()
    {
        return endsEpoch;
    }

    void reset()
    {
        count = 0;
        endsEpoch = false;
    }

    /**
     * Adds a run, or extends the last one when the new run starts where it ends.
     *
     * @return false, adding nothing, if the run would need a new entry and the buffer is full.
     */
    boolean addOrExtend(final int offsetBytes, final int lengthBytes)
    {
        if (count > 0 && offsetsBytes[count - 1] + lengthsBytes[count - 1] == offsetBytes)
        {
            lengthsBytes[count - 1] += lengthBytes;
            return true;
        }
        if (count == offsetsBytes.length)
        {
            return false;
        }
        offsetsBytes[count] = offsetBytes;
        lengthsBytes[count] = lengthBytes;
        count++;
        return true;
    }

    void endEpoch()
    {
        endsEpoch = true;
    }

    private void checkIndex(final int index)
    {
        if (index < 0 || index >= count)
        {
            throw new IndexOutOfBoundsException("run " + index + " is outside 0.." + (count - 1));
        }
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("DirtyRuns{");
        for (int i = 0; i < count; i++)
        {
            sb.append(i == 0 ? "" : ", ").append('[').append(offsetsBytes[i]).append(", +").append(lengthsBytes[i])
                .append(')');
        }
        return sb.append(endsEpoch ? "; ends epoch}" : "}").toString();
    }
}
