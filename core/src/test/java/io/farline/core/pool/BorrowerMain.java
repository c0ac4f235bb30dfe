package io.farline.core.pool;

import io.farline.transport.Fabric;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;

import java.nio.file.Paths;
import java.util.List;

/**
 * A compute node in a child JVM: borrows chunks, prints {@code READY <nodeId>}, and waits to be killed.
 * Usage: {@code BorrowerMain <fabricDir> <chunkCount> <chunkSize>}.
 */
public final class BorrowerMain
{
    private BorrowerMain()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Node node = Node.launch(new NodeConfig().fabric(Fabric.at(Paths.get(args[0]))));
        final PoolClient client = new PoolClient(node, PoolClient.DEFAULT_TIMEOUT_MS);
        final List<Chunk> chunks = client.allocate(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        System.out.println("GRANTED " + chunks.size());
        System.out.println("READY borrower " + node.nodeId());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
