package io.farline.property.transport;

import io.farline.property.harness.Gen;
import io.farline.property.harness.PropertyRunner;
import io.farline.transport.TestFabric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random sequences of one-sided verbs (posted and blocking, valid and not) from one node on another node's
 * registered regions, with local writes by the owner, agree step by step with a byte-array model: see
 * {@link VerbScenario} for what is checked.
 */
class VerbsAgreeWithModelProperty
{
    private static final int TRIALS = 300;
    private static final int MAX_ACTIONS = 60;

    @RegisterExtension
    final TestFabric fabric = new TestFabric();

    @Test
    void shouldAgreeWithByteArrayModelWhenVerbsAreRandom()
    {
        PropertyRunner.forAll(Gen.listOf(VerbActions.any(), 1, MAX_ACTIONS))
            .simplifiedBy(VerbAction::simpler)
            .trials(TRIALS)
            .check(new VerbScenario(fabric));
    }
}
