package io.farline.property.transport;

import io.farline.property.harness.Gen;
import io.farline.property.harness.PropertyRunner;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.TestFabric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Corrupted copies of valid control and region files are refused at attach with a FabricFileException naming the
 * reason, or accepted with self-consistent values and usable; never anything else. See {@link CorruptFileScenario}.
 */
class CorruptFilesAreRefusedProperty
{
    private static final int TRIALS = 1000;
    private static final int MAX_CORRUPTIONS = 5;

    @RegisterExtension
    final TestFabric fabric = new TestFabric();

    @TempDir
    Path scratch;

    @Test
    void shouldRefuseOrSafelyAcceptControlFileWhenCorrupted()
    {
        check(FabricFileKind.CONTROL);
    }

    @Test
    void shouldRefuseOrSafelyAcceptRegionFileWhenCorrupted()
    {
        check(FabricFileKind.REGION);
    }

    private void check(final FabricFileKind kind)
    {
        try (Node observer = fabric.launch(new NodeConfig().conductorThread(false).attachTimeoutMs(0)))
        {
            PropertyRunner.forAll(Gen.listOf(Corruptions.any(kind), 1, MAX_CORRUPTIONS))
                .named(getClass().getSimpleName() + "#shouldRefuseOrSafelyAccept" +
                    (kind == FabricFileKind.CONTROL ? "ControlFile" : "RegionFile") + "WhenCorrupted")
                .simplifiedBy(Corruption::simpler)
                .trials(TRIALS)
                .check(new CorruptFileScenario(kind, observer, scratch));
        }
    }
}
