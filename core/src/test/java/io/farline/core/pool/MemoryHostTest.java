package io.farline.core.pool;

import io.farline.transport.Node;
import io.farline.transport.TestFabric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.farline.core.pool.ChunkTableDescriptor.STATE_FREE;
import static io.farline.core.pool.ChunkTableDescriptor.STATE_WITHDRAWN;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A memory host on its own, in this JVM: what its stop does to its chunk table.
 */
class MemoryHostTest
{
    @RegisterExtension
    final TestFabric testFabric = new TestFabric();

    @Test
    void shouldWithdrawItsFreeChunksItselfWhenStoppingSoThatNoneIsLentMeanwhile()
    {
        try (Node node = testFabric.launch();
            MemoryHost host = MemoryHost.start(node, 4 << 20, 1 << 20))
        {
            assertEquals(4, host.chunksIn(STATE_FREE));
            // No controller runs: none can be asked, yet the free chunks must leave the pool all the same.
            assertEquals(0, host.withdrawDonation(1_000));
            assertEquals(0, host.chunksIn(STATE_FREE));
            assertEquals(4, host.chunksIn(STATE_WITHDRAWN));
        }
    }
}
