package io.farline.transport;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM for the multi-process tests: joins a fabric, registers a region, prints
 * {@code READY <nodeId> <regionId> <rkey> <length>}, runs one scenario, prints its result, and stays alive until its
 * standard input closes (or it is killed).
 * <p>
 * Usage: {@code PeerProcessMain <fabricDir> <scenario> [args...]}.
 */
public final class PeerProcessMain
{
    private PeerProcessMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Fabric fabric = Fabric.at(Paths.get(args[0]));
        final String scenario = args[1];
        try (Node node = Node.launch(new NodeConfig().fabric(fabric)))
        {
            final RegisteredRegion region = node.registerRegion(1 << 16, AccessFlags.ALL);
            for (int i = 0; i < 1024; i++)
            {
                region.buffer().putByte(i, (byte)(i * 7));
            }
            final RegionHandle handle = region.handle();
            System.out.println("READY " + node.nodeId() + " " + handle.regionId() + " " + handle.rkey() + " " +
                handle.lengthBytes());
            System.out.flush();
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            switch (scenario)
            {
                case "serve":
                    break;
                case "verbs":
                    System.out.println(verbs(node, handleFrom(args, 2)));
                    break;
                case "fetch-add":
                    System.out.println(fetchAdd(node, handleFrom(args, 2), Integer.parseInt(args[6])));
                    break;
                case "send":
                    System.out.println(send(node, Integer.parseInt(args[2]), Integer.parseInt(args[3])));
                    break;
                default:
                    System.out.println("FAILED unknown scenario " + scenario);
            }
            System.out.flush();
            while (null != in.readLine())
            {
                // wait for the parent to close our standard input
            }
        }
    }

    private static RegionHandle handleFrom(final String[] args, final int from)
    {
        return new RegionHandle(Integer.parseInt(args[from]), Integer.parseInt(args[from + 1]),
            Long.parseLong(args[from + 2]), Long.parseLong(args[from + 3]));
    }

    /** Writes, reads back, CASes and fetch-adds on the parent's region; the parent checks the effects. */
    private static String verbs(final Node node, final RegionHandle parent)
    {
        final QueuePair qp = node.connect(parent.nodeId());
        final RemoteRegion remote = qp.attach(parent);
        final UnsafeBuffer local = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        for (int i = 0; i < 4096; i++)
        {
            local.putByte(i, (byte)(i ^ 0x5A));
        }
        qp.write(local, 0, 4096, remote, 4096);
        final UnsafeBuffer back = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        qp.read(back, 0, 4096, remote, 4096);
        if (back.compareTo(local) != 0)
        {
            return "FAILED read after write differs";
        }
        final long seen = qp.compareAndSwap(remote, 0, 0, 0x1234);
        if (seen != 0)
        {
            return "FAILED cas saw " + seen;
        }
        final long before = qp.fetchAndAdd(remote, 8, 5);
        return "DONE " + before;
    }

    private static String fetchAdd(final Node node, final RegionHandle parent, final int count)
    {
        final QueuePair qp = node.connect(parent.nodeId());
        final RemoteRegion remote = qp.attach(parent);
        for (int i = 0; i < count; i++)
        {
            qp.fetchAndAdd(remote, 0, 1);
        }
        return "DONE " + count;
    }

    /** Sends {@code count} messages numbered 0.. to the parent, retrying on back-pressure. */
    private static String send(final Node node, final int parentNodeId, final int count)
    {
        final QueuePair qp = node.connect(parentNodeId);
        final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        long backPressured = 0;
        for (int i = 0; i < count; i++)
        {
            message.putLong(0, i);
            message.putLong(8, ~(long)i);
            int result;
            while ((result = qp.send(message, 0, 16)) == QueuePair.BACK_PRESSURED)
            {
                backPressured++;
                LockSupport.parkNanos(1000);
            }
            if (result != QueuePair.OK)
            {
                return "FAILED send " + i + " returned " + result;
            }
        }
        return "DONE " + count + " backPressured " + backPressured;
    }
}
