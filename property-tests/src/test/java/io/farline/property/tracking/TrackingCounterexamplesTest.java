package io.farline.property.tracking;

import io.farline.core.tracking.TrackingGeometry;
import io.farline.property.tracking.TrackingAction.Drain;
import io.farline.property.tracking.TrackingAction.Store;
import io.farline.property.tracking.TrackingAction.StoreKind;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Shrunk counterexamples of {@link DirtyTrackingAgreesWithModelProperty}, kept as regression tests. Each was found
 * against a drainer that dropped the bits it had taken but could not deliver into a full run buffer.
 */
class TrackingCounterexamplesTest
{
    @Test
    void shouldRedeliverBitsThatDidNotFitAOneRunBuffer()
    {
        new TrackingScenario(TrackingGeometry.of(8 * 4096, 4096, 256)).check(List.of(
            new Store(StoreKind.PUT_BYTE, 0, 1, (byte)-53),
            new Store(StoreKind.PUT_BYTE, 528, 1, (byte)6),
            new Drain(1)));
    }

    @Test
    void shouldRedeliverBitsThatDidNotFitAThreeRunBuffer()
    {
        new TrackingScenario(TrackingGeometry.of(8 * 4096, 4096, 64)).check(List.of(
            new Store(StoreKind.PUT_BYTE, 0, 1, (byte)38),
            new Store(StoreKind.PUT_BYTE, 246, 1, (byte)-88),
            new Store(StoreKind.PUT_BYTE, 597, 1, (byte)-12),
            new Store(StoreKind.PUT_BYTE, 404, 1, (byte)31),
            new Drain(3)));
    }

    @Test
    void shouldRedeliverAcrossPagesWhenUnitsArePages()
    {
        new TrackingScenario(TrackingGeometry.of(8 * 4096, 4096, 4096)).check(List.of(
            new Store(StoreKind.PUT_BYTE, 15152, 1, (byte)-1),
            new Store(StoreKind.PUT_BYTE, 0, 1, (byte)96),
            new Drain(1)));
    }
}
