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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Corrupted copies of valid control, region and lane files are refused at attach with a FabricFileException naming the
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

    @Test
    void shouldRefuseOrSafelyAcceptLaneFileWhenCorrupted()
    {
        check(FabricFileKind.LANE);
    }

    private void check(final FabricFileKind kind)
    {
        // No conductor thread: errors come only from receive, on this thread.
        final List<Throwable> errors = new ArrayList<>();
        try (Node observer = fabric.launch(
            new NodeConfig().conductorThread(false).attachTimeoutMs(0).errorHandler(errors::add)
                .inboxCapacityBytes(FabricFileKind.RING_CAPACITY_BYTES)))
        {
            final String kindName = kind.name().charAt(0) + kind.name().substring(1).toLowerCase(Locale.ROOT);
            PropertyRunner.forAll(Gen.listOf(Corruptions.any(kind), 1, MAX_CORRUPTIONS))
                .named(getClass().getSimpleName() + "#shouldRefuseOrSafelyAccept" + kindName + "FileWhenCorrupted")
                .simplifiedBy(Corruption::simpler)
                .trials(TRIALS)
                .check(new CorruptFileScenario(kind, observer, errors, scratch));
        }
    }
}
