package io.farline.core.far;

import io.farline.core.pool.Chunk;
import io.farline.core.pool.PoolClient;
import io.farline.transport.Fabric;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.RegionHandle;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * A compute node in a child JVM: random writes and reads on far memory 8x its cache, checked against a byte array.
 * Prints {@code READY compute <nodeId>}, then, in mode {@code verify}, detaches, reopens, reads every byte back and
 * prints {@code OK <misses> <bytesWrittenBack> <pageGranularBytes>}; in mode {@code park}, detaches (parking the
 * chunks with the pool) and prints {@code PARKED <chunks>} for another node to reopen; or {@code FAILED <reason>}.
 * <p>
 * Usage: {@code FarMemoryWorkloadMain <fabricDir> <seed> <ops> verify|park}.
 */
public final class FarMemoryWorkloadMain
{
    static final int MIB = 1 << 20;
    static final FarMemoryConfig CONFIG = new FarMemoryConfig().addressSpaceBytes(8 * MIB).localCacheBytes(MIB)
        .writeBackIntervalMs(2);

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
            final byte[] model = new byte[8 * MIB];
            final FarMemory memory = FarMemory.open(node, pool, CONFIG);
            final String failure = run(seed, ops, memory, model);
            if (null != failure)
            {
                System.out.println("FAILED " + failure);
                return;
            }
            final long misses = memory.misses();
            final long written = memory.bytesWrittenBack();
            final List<Chunk> chunks = memory.detach();
            if ("park".equals(args[3]))
            {
                System.out.println("PARKED " + encode(chunks));
                return;
            }
            try (FarMemory reopened = FarMemory.reopen(node, pool, CONFIG, chunks))
            {
                final byte[] all = new byte[model.length];
                reopened.getBytes(0, all, 0, all.length);
                if (!Arrays.equals(model, all))
                {
                    System.out.println("FAILED seed " + seed + ": the hosts do not hold every write after detach");
                    return;
                }
            }
            System.out.println("OK " + misses + " " + written + " " + memory.pageGranularBytes());
        }
        catch (final RuntimeException ex)
        {
            System.out.println("FAILED seed " + seed + ": " + ex);
        }
        finally
        {
            System.out.flush();
        }
    }

    /**
     * The workload: byte-range writes and single-byte reads at random, the same for a seed whether or not memory is
     * given (without it, only the model is computed).
     *
     * @return null, or what disagreed.
     */
    static String run(final long seed, final int ops, final FarMemory memory, final byte[] model)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] scratch = new byte[200];
        for (int op = 0; op < ops; op++)
        {
            final long address = random.nextLong(model.length - 200);
            if (random.nextBoolean())
            {
                final int length = random.nextInt(1, 200);
                random.nextBytes(scratch);
                if (null != memory)
                {
                    memory.putBytes(address, scratch, 0, length);
                }
                System.arraycopy(scratch, 0, model, (int)address, length);
            }
            else if (null != memory)
            {
                final byte got = memory.getByte(address);
                if (got != model[(int)address])
                {
                    return "seed " + seed + " op " + op + ": byte at " + address + " is " + got + ", expected " +
                        model[(int)address];
                }
            }
        }
        return null;
    }

    static String encode(final List<Chunk> chunks)
    {
        final StringJoiner joiner = new StringJoiner(",");
        for (final Chunk chunk : chunks)
        {
            final RegionHandle data = chunk.dataRegion();
            joiner.add(data.nodeId() + ":" + data.regionId() + ":" + data.rkey() + ":" + data.lengthBytes() + ":" +
                chunk.chunkIndex() + ":" + chunk.chunkSizeBytes());
        }
        return joiner.toString();
    }

    static List<Chunk> decode(final String text)
    {
        final List<Chunk> chunks = new ArrayList<>();
        for (final String item : text.split(","))
        {
            final String[] f = item.split(":");
            chunks.add(new Chunk(new RegionHandle(Integer.parseInt(f[0]), Integer.parseInt(f[1]),
                Long.parseLong(f[2]), Long.parseLong(f[3])), Integer.parseInt(f[4]), Integer.parseInt(f[5])));
        }
        return chunks;
    }
}
