package io.farline.property.tracking;

import io.farline.core.tracking.TrackingGeometry;
import io.farline.property.harness.Gen;
import io.farline.property.harness.PropertyRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random interleavings of tracked stores and drains (partial and whole) agree with a byte-array model, for tracking
 * units of one line, four lines and a whole page: see {@link TrackingScenario} for what is checked.
 */
class DirtyTrackingAgreesWithModelProperty
{
    private static final int TRIALS = 300;
    private static final int MAX_ACTIONS = 80;
    private static final int PAGES = 8;

    @ParameterizedTest(name = "unit {0} bytes")
    @ValueSource(ints = {64, 256, 4096})
    void shouldDeliverEveryStoredUnitAndNothingElse(final int unitSizeBytes)
    {
        final TrackingGeometry geometry = TrackingGeometry.of(PAGES * 4096, 4096, unitSizeBytes);
        PropertyRunner.forAll(Gen.listOf(TrackingActions.any(geometry), 1, MAX_ACTIONS))
            .named("dirty tracking, unit " + unitSizeBytes)
            .simplifiedBy(TrackingAction::simpler)
            .trials(TRIALS)
            .check(new TrackingScenario(geometry));
    }
}
