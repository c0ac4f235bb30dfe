package io.farline.property.tracking;

import io.farline.core.tracking.TrackingGeometry;
import io.farline.property.harness.Gen;
import io.farline.property.tracking.TrackingAction.StoreKind;

import java.util.SplittableRandom;

/**
 * Draws {@link TrackingAction}s for a geometry: stores clustered on a few hot pages (so units are stored again while
 * already dirty, and runs touch across bitmap words), some anywhere, a few out of range; drains with small run
 * buffers so that drains often stop early and resume.
 */
final class TrackingActions
{
    private static final StoreKind[] KINDS = StoreKind.values();
    private static final int MAX_BULK_BYTES = 600;

    private TrackingActions()
    {
    }

    static Gen<TrackingAction> any(final TrackingGeometry geometry)
    {
        return random ->
        {
            final int kind = random.nextInt(100);
            if (kind < 15)
            {
                return new TrackingAction.Drain(random.nextInt(8) < 6 ? random.nextInt(1, 4) : 64);
            }
            return store(random, geometry, kind < 18);
        };
    }

    private static TrackingAction store(
        final SplittableRandom random, final TrackingGeometry geometry, final boolean outOfRange)
    {
        final StoreKind kind = KINDS[random.nextInt(KINDS.length)];
        final int length = kind.lengthBytes(random.nextInt(1, MAX_BULK_BYTES));
        int offset;
        if (outOfRange)
        {
            offset = random.nextBoolean() ? -8 : geometry.lengthBytes() - length + 8;
        }
        else if (random.nextInt(4) > 0)
        {
            // Hot area: two adjacent pages around a bitmap word boundary.
            final int hotStart = geometry.pageSizeBytes() - 256;
            offset = hotStart + random.nextInt(512);
        }
        else
        {
            offset = random.nextInt(geometry.lengthBytes());
        }
        if (!outOfRange)
        {
            offset = Math.min(offset, geometry.lengthBytes() - length);
        }
        if (kind.isAligned())
        {
            offset &= ~7;
        }
        return new TrackingAction.Store(kind, offset, length, (byte)random.nextInt(1, 256));
    }
}
