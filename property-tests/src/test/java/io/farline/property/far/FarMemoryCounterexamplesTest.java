package io.farline.property.far;

import io.farline.property.far.FarAction.Evacuate;
import io.farline.property.far.FarAction.KillHost;
import io.farline.property.far.FarAction.Reopen;
import io.farline.property.far.FarAction.Write;
import io.farline.transport.TestFabric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

/**
 * Shrunk counterexamples of {@link FarMemoryAgreesWithModelProperty}, kept as regression tests, each on a fresh pool
 * of the setup it was found with. A counterexample that needs a race (a host's death against a write-back) runs a few
 * times, each run a trial of its own, as in the property.
 */
class FarMemoryCounterexamplesTest
{
    /** Without the fix, about one run in two failed: ten find the bug all but always. */
    private static final int RUNS = 10;

    @RegisterExtension
    final TestFabric testFabric = new TestFabric();

    /**
     * Found with xor 2+1 (seed 8722483560964764097). When a host died, the far memory gave its slots replacement
     * chunks at once and rebuilt their rows lazily, remembering which rows were still lost only in memory; detach()
     * parked the replacement with its rows unrebuilt, and the reopened far memory read them as the pages: the bytes
     * written before the death came back as zeros (or as an earlier borrower's data). It shows in some runs only (the
     * timing of the death against write-backs and completions decides whether the row is still lost at detach), hence
     * several runs. The property found it with 2 replicas too (seed 3244107994103107289, shrunk to: kill
     * the host of chunk 0, reopen, write a byte; the replacement replica served an earlier trial's bytes). Fixed by
     * finishing the rebuild in detach().
     */
    @Test
    void shouldReadWritesMadeBeforeAHostDiedAfterDetachAndReopenWithXorParity() throws Exception
    {
        check(FarSetup.XOR, List.of(
            new Write(11988L, 302, -8896248708717190875L),
            new KillHost(0),
            new Reopen()));
    }

    /**
     * Found with every setup (no redundancy: seed 6680921342159226060; xor 2+1: 1165811313583534118; 2 replicas:
     * 8091268785115896162), shrunk to: a host reclaims a chunk of the far memory, then detach and reopen. detach()
     * parked the chunks without handling the pool's pending request to evacuate one: the controller parks only chunks
     * lent (not being reclaimed), so that chunk stayed reclaiming, lent to the detached far memory, and the reopen
     * failed with "cannot adopt: chunk 0 of host H is not parked (it is reclaiming by node N)". Fixed by evacuating
     * what the pool asked for in detach(), before parking.
     */
    @Test
    void shouldReopenAfterDetachingWhileAHostReclaimsAChunk() throws Exception
    {
        check(FarSetup.NONE, List.of(
            new Evacuate(0, 1),
            new Reopen()));
    }

    private void check(final FarSetup setup, final List<FarAction> actions) throws Exception
    {
        try (HostPool pool = InProcessPool.forSetup(testFabric, setup))
        {
            final FarMemoryScenario scenario = new FarMemoryScenario(pool, setup);
            for (int run = 0; run < RUNS; run++)
            {
                scenario.check(actions);
            }
        }
    }
}
