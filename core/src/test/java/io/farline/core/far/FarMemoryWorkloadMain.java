package io.farline.core.far;

import io.farline.core.pool.Chunk;
import io.farline.core.pool.PoolClient;
import io.farline.transport.Fabric;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;

import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A compute node in a child JVM: random writes and reads on far memory 8x its cache, checked against a byte array,
 * then a detach and a reopen that must read back every byte. Prints {@code READY compute <nodeId>}, then
 * {@code OK <misses> <bytesWrittenBack> <pageGranularBytes>} or {@code FAILED <reason>}.
 * <p>
 * Usage: {@code FarMemoryWorkloadMain <fabricDir> <seed> <ops>}.
 */
public final class FarMemoryWorkloadMain
{
    private static final int MIB = 1 << 20;

    private FarMemoryWorkloadMain()
    {
    }

    public static void main(final String[] args)
    {
        final long seed = Long.parseLong(args[1]);
        final int ops = Integer.parseInt(args[2]);
        try (Node node = Node.launch(new NodeConfig().fabric(Fabric.at(Paths.get(args[0]))));
            PoolClient pool = new PoolClient(node, 10_000))
        {
            System.out.println("READY compute " + node.nodeId());
            System.out.flush();
            final FarMemoryConfig config = new FarMemoryConfig().addressSpaceBytes(8 * MIB).localCacheBytes(MIB)
                .writeBackIntervalMs(2);
            final byte[] model = new byte[8 * MIB];
            final SplittableRandom random = new SplittableRandom(seed);
            final FarMemory memory = FarMemory.open(node, pool, config);
            final byte[] scratch = new byte[200];
            for (int op = 0; op < ops; op++)
            {
                final long address = random.nextLong(model.length - 200);
                if (random.nextBoolean())
                {
                    final int length = random.nextInt(1, 200);
                    random.nextBytes(scratch);
                    memory.putBytes(address, scratch, 0, length);
                    System.arraycopy(scratch, 0, model, (int)address, length);
                }
                else
                {
                    final byte got = memory.getByte(address);
                    if (got != model[(int)address])
                    {
                        System.out.println("FAILED seed " + seed + " op " + op + ": byte at " + address + " is " +
                            got + ", expected " + model[(int)address]);
                        return;
                    }
                }
            }
            final long misses = memory.misses();
            final long written = memory.bytesWrittenBack();
            final List<Chunk> chunks = memory.detach();
            final long pageGranular = memory.pageGranularBytes();
            try (FarMemory reopened = FarMemory.reopen(node, pool, config, chunks))
            {
                final byte[] all = new byte[model.length];
                reopened.getBytes(0, all, 0, all.length);
                if (!Arrays.equals(model, all))
                {
                    System.out.println("FAILED seed " + seed + ": the hosts do not hold every write after detach");
                    return;
                }
            }
            System.out.println("OK " + misses + " " + written + " " + pageGranular);
        }
        catch (final RuntimeException ex)
        {
            System.out.println("FAILED seed " + seed + ": " + ex);
        }
        System.out.flush();
    }
}
