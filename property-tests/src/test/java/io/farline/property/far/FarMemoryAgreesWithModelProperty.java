package io.farline.property.far;

import io.farline.property.harness.Gen;
import io.farline.property.harness.PropertyRunner;
import io.farline.transport.TestFabric;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random writes (across lines and pages), reads, primitive puts and gets, flushes, duty cycles, read-only mappings,
 * detach and reopen, and host deaths, on far memory borrowed from a pool of in-process hosts on the real transport,
 * agree with a byte array of the address space: see {@link FarMemoryScenario} for what is checked, and
 * {@link FarSetup} for the far memories. The pool is shared by the trials of a setup; each trial has its own compute
 * node and far memory. With {@code -Dfarline.stress.soak=true} (the soak profile) each setup runs ten times the
 * trials. The property asserts that what each setup is for happened: evictions, host deaths and rebuilds,
 * evacuations, second losses in a stripe under rebuild (Reed-Solomon), deaths by liveness timeout.
 */
class FarMemoryAgreesWithModelProperty
{
    private static final int TRIALS = 100;
    private static final int SOAK_FACTOR = 10;
    private static final int MAX_ACTIONS = 60;
    /** A run costs a trial (tens of ms): shrinking is bounded in time too. */
    private static final int MAX_SHRINK_RUNS = 400;

    @RegisterExtension
    final TestFabric testFabric = new TestFabric();

    @ParameterizedTest(name = "{0}")
    @EnumSource(FarSetup.class)
    void shouldAgreeWithAByteArrayThroughEvictionsWriteBacksAndHostLosses(final FarSetup setup) throws Exception
    {
        final int trials = setup.trials(Boolean.getBoolean("farline.stress.soak") ? TRIALS * SOAK_FACTOR : TRIALS);
        try (HostPool pool = InProcessPool.forSetup(testFabric, setup))
        {
            final FarMemoryScenario scenario = new FarMemoryScenario(pool, setup);
            final long startNs = System.nanoTime();
            PropertyRunner.forAll(Gen.listOf(FarMemoryScenario.actions(setup), 1, MAX_ACTIONS))
                .named("far memory, " + setup)
                .simplifiedBy(FarAction::simpler)
                .trials(trials)
                .maxShrinkRuns(MAX_SHRINK_RUNS)
                .check(scenario);
            final FarCoverage coverage = scenario.coverage();
            System.out.println("far memory, " + setup + ", " + pool.describe() + ", " +
                (System.nanoTime() - startNs) / 1_000_000 + " ms: " + coverage);
            // Not vacuous: pages were evicted and fetched back, and (over enough trials) hosts died and were rebuilt,
            // chunks were evacuated, and each setup's kind of loss happened.
            assertTrue(coverage.evictions() > coverage.trials(), coverage.toString());
            if (coverage.trials() >= trials)
            {
                if (setup.maxKills() > 0)
                {
                    assertTrue(coverage.hostDeaths() > 0 && coverage.rebuiltPages() > 0, coverage.toString());
                }
                if (setup.maxEvacuations() > 0)
                {
                    assertTrue(coverage.evacuatedChunks() > 0, coverage.toString());
                }
                if (setup.maxKills() > 1 && setup.redundancy().parityPages() > 1)
                {
                    assertTrue(coverage.stripeDoubleLosses() > 0, coverage.toString());
                }
                if (setup.deathsByTimeout())
                {
                    assertTrue(coverage.timeoutDeaths() > 0, coverage.toString());
                }
            }
        }
    }
}
