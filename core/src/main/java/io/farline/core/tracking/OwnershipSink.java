package io.farline.core.tracking;

/**
 * Told of every clean-to-dirty transition of a {@link DirtyBitmap}: the software analogue of a CPU cache taking a
 * line in exclusive state, the "ownership" event the interconnect model publishes to its devices.
 * <p>
 * Called on the writing thread, inside its store, after the atomic OR that set the bits: implementations must be
 * quick, lock-free and allocation-free, and must not throw. A bit set again after a drain is a new transition.
 */
@FunctionalInterface
public interface OwnershipSink
{
    /**
     * @param wordIndex         the bitmap word whose bits were set.
     * @param newlyDirtyBits    the bits of that word this store turned from clean to dirty (never 0); bit {@code b}
     *                          is unit {@code wordIndex * 64 + b}.
     */
    void onOwnership(int wordIndex, long newlyDirtyBits);
}
