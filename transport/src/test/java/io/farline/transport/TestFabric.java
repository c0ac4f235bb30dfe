package io.farline.transport;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A fresh fabric per test, in a directory of its own, and a check after the test that every node launched through
 * it was closed and left no files behind (STYLE 37), unless the test expected leftovers (killed nodes).
 */
public final class TestFabric implements BeforeEachCallback, AfterEachCallback
{
    private final List<Node> nodes = new ArrayList<>();
    private Fabric fabric;
    private boolean leftoversExpected;

    @Override
    public void beforeEach(final ExtensionContext context)
    {
        final Path root = Paths.get(System.getProperty("java.io.tmpdir"), "fabrics");
        final String name = context.getRequiredTestClass().getSimpleName() + "-" +
            context.getRequiredTestMethod().getName() + "-" + System.nanoTime();
        fabric = Fabric.at(root.resolve(name));
        leftoversExpected = false;
        nodes.clear();
    }

    @Override
    public void afterEach(final ExtensionContext context)
    {
        final List<Node> toClose = new ArrayList<>(nodes);
        nodes.clear();
        boolean allClosed = true;
        for (final Node node : toClose)
        {
            allClosed &= node.isClosed();
            node.close();
        }
        final List<String> files = files();
        delete(fabric.directory());
        if (!leftoversExpected && context.getExecutionException().isEmpty())
        {
            assertEquals(List.of(), files, "files left in the fabric after every node closed");
            assertEquals(true, allClosed, "a test left a node open");
        }
    }

    /**
     * @return the fabric of the current test.
     */
    public Fabric fabric()
    {
        return fabric;
    }

    /**
     * Launches a node on this test's fabric, with a conductor thread and default settings.
     *
     * @return the node; the test must close it.
     */
    public Node launch()
    {
        return launch(new NodeConfig());
    }

    /**
     * @param config settings; its fabric is set to this test's.
     * @return the node; the test must close it.
     */
    public Node launch(final NodeConfig config)
    {
        final Node node = Node.launch(config.fabric(fabric));
        nodes.add(node);
        return node;
    }

    /**
     * The test leaves files on purpose (a killed child, a corrupt file); they are still deleted.
     */
    public void expectLeftovers()
    {
        leftoversExpected = true;
    }

    /**
     * @return names of the nodes' files in the fabric directory (the node id sequence is the fabric's own).
     */
    public List<String> files()
    {
        try (Stream<Path> stream = Files.list(fabric.directory()))
        {
            return stream.map(p -> p.getFileName().toString())
                .filter(name -> !Fabric.NODE_ID_SEQUENCE_FILE.equals(name)).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void delete(final Path directory)
    {
        try (Stream<Path> walk = Files.walk(directory))
        {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
