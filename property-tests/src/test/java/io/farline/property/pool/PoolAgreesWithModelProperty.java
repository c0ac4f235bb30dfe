package io.farline.property.pool;

import io.farline.property.harness.Gen;
import io.farline.property.harness.PropertyRunner;
import io.farline.transport.TestFabric;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random allocations, releases, parks, adoptions, reconciliations, evacuations, reclaims and withdrawals, and the
 * deaths and restarts of borrowers, hosts and the controller, on a pool of in-process nodes whose every duty cycle
 * the test drives, agree with a model of every chunk table: see {@link PoolScenario} for what is checked. Each trial
 * starts a fresh pool (a controller answers allocations only after its warm-up, so a trial costs most of a second),
 * hence few trials; with {@code -Dfarline.stress.soak=true} (the soak profile) each setup runs ten times as many.
 */
class PoolAgreesWithModelProperty
{
    private static final int TRIALS = 12;
    private static final int SOAK_FACTOR = 10;
    private static final int MAX_ACTIONS = 40;
    /** A run costs a trial (about a second): shrinking is bounded in time too. */
    private static final int MAX_SHRINK_RUNS = 150;

    @RegisterExtension
    final TestFabric testFabric = new TestFabric();

    @ParameterizedTest(name = "{0}")
    @EnumSource(PoolSetup.class)
    void shouldAgreeWithAModelOfTheChunkTablesThroughDeathsAndRestarts(final PoolSetup setup) throws Exception
    {
        testFabric.expectLeftovers(); // the controller's locator file
        try (PoolScenario scenario = new PoolScenario(testFabric, setup))
        {
            PropertyRunner.forAll(Gen.listOf(PoolScenario.actions(setup), 1, MAX_ACTIONS))
                .named("pool, " + setup)
                .simplifiedBy(PoolAction::simpler)
                .trials(Boolean.getBoolean("farline.stress.soak") ? TRIALS * SOAK_FACTOR : TRIALS)
                .maxShrinkRuns(MAX_SHRINK_RUNS)
                .check(scenario);
            final PoolCoverage coverage = scenario.coverage();
            System.out.println("pool, " + setup + ": " + coverage);
            // Not vacuous: chunks were lent and refused, borrowers died holding chunks, hosts were lost, and the
            // controller restarted. (Adoptions and evacuations are printed above; too rare to assert in few trials.)
            // Checked on full runs only: a replay of one trial (-Dfarline.trials=1) covers what that trial does.
            if (null == System.getProperty(PropertyRunner.TRIALS_PROPERTY))
            {
                assertTrue(coverage.chunksGranted > coverage.trials && coverage.allocationsRefused > 0,
                    coverage.toString());
                assertTrue(coverage.chunksFreedFromDeadBorrowers > 0 && coverage.controllerRestarts > 0,
                    coverage.toString());
                assertTrue(coverage.hostsClosed + coverage.hostsPaused > 0, coverage.toString());
            }
        }
    }
}
