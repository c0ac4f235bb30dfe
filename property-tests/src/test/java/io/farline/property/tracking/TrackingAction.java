package io.farline.property.tracking;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of a tracking scenario: a store through the tracked view, or a drain.
 */
sealed interface TrackingAction
{
    /**
     * @return simpler versions of this action, for shrinking.
     */
    List<TrackingAction> simpler();

    /** The kinds of store the scenario draws, covering plain, ordered, atomic and bulk paths. */
    enum StoreKind
    {
        PUT_BYTE(1), PUT_INT(4), PUT_LONG(8), PUT_LONG_RELEASE(8), GET_AND_ADD_LONG(8), CAS_LONG_HIT(8),
        CAS_LONG_MISS(8), PUT_BYTES(-1), SET_MEMORY(-1);

        private final int fixedLengthBytes;

        StoreKind(final int fixedLengthBytes)
        {
            this.fixedLengthBytes = fixedLengthBytes;
        }

        int lengthBytes(final int drawnLengthBytes)
        {
            return fixedLengthBytes > 0 ? fixedLengthBytes : drawnLengthBytes;
        }

        boolean isAligned()
        {
            // Ordered and atomic stores must be naturally aligned (TrackedBuffer refuses them otherwise).
            return this == PUT_LONG_RELEASE || this == GET_AND_ADD_LONG || this == CAS_LONG_HIT ||
                this == CAS_LONG_MISS;
        }
    }

    /**
     * A store of {@code kind} at {@code offsetBytes}; {@code lengthBytes} is used by the bulk kinds only. Offsets may
     * lie outside the region, which the store must refuse without marking anything.
     */
    record Store(StoreKind kind, int offsetBytes, int lengthBytes, byte value) implements TrackingAction
    {
        @Override
        public List<TrackingAction> simpler()
        {
            final List<TrackingAction> simpler = new ArrayList<>();
            if (kind != StoreKind.PUT_BYTE)
            {
                simpler.add(new Store(StoreKind.PUT_BYTE, offsetBytes, 1, value));
            }
            if (offsetBytes > 0)
            {
                final int aligned = kind.isAligned() ? (offsetBytes / 2) & ~7 : offsetBytes / 2;
                simpler.add(new Store(kind, aligned, lengthBytes, value));
            }
            if (lengthBytes > 1)
            {
                simpler.add(new Store(kind, offsetBytes, lengthBytes / 2, value));
            }
            return simpler;
        }
    }

    /** One drain call with a run buffer of {@code capacity} runs. */
    record Drain(int capacity) implements TrackingAction
    {
        @Override
        public List<TrackingAction> simpler()
        {
            return capacity < 64 ? List.of(new Drain(64)) : List.of();
        }
    }
}
