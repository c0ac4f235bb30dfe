package io.farline.core.tracking;

import io.farline.transport.Fabric;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import io.farline.transport.RemoteRegion;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Paths;
import java.util.StringJoiner;

/**
 * A child JVM that joins a fabric, READs a peer's dirty bitmap and data over the transport, and prints
 * {@code DIRTY <unit> <unit> ...} followed by {@code SUM <sum of the first long of every dirty unit>}.
 * <p>
 * Usage: {@code BitmapReaderMain <fabricDir> <peerNodeId> <bitmapRegionId> <bitmapRkey> <bitmapLength>
 * <dataRegionId> <dataRkey> <dataLength>}.
 */
public final class BitmapReaderMain
{
    private BitmapReaderMain()
    {
    }

    public static void main(final String[] args)
    {
        final Fabric fabric = Fabric.at(Paths.get(args[0]));
        final int peer = Integer.parseInt(args[1]);
        final RegionHandle bitmapHandle =
            new RegionHandle(peer, Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
        final RegionHandle dataHandle =
            new RegionHandle(peer, Integer.parseInt(args[5]), Long.parseLong(args[6]), Long.parseLong(args[7]));
        try (Node node = Node.launch(new NodeConfig().fabric(fabric));
            QueuePair qp = node.connect(peer))
        {
            final RemoteRegion bitmapRegion = qp.attach(bitmapHandle);
            final RemoteRegion dataRegion = qp.attach(dataHandle);
            final UnsafeBuffer bitmapCopy = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                (int)bitmapHandle.lengthBytes(), 64));
            qp.read(bitmapCopy, 0, bitmapCopy.capacity(), bitmapRegion, 0);
            final DirtyBitmapView view = DirtyBitmapView.of(bitmapCopy);
            final UnsafeBuffer line = new UnsafeBuffer(new byte[view.geometry().unitSizeBytes()]);
            final StringJoiner dirty = new StringJoiner(" ", "DIRTY ", "");
            long sum = 0;
            for (int unit = view.nextDirtyUnit(0); unit >= 0; unit = view.nextDirtyUnit(unit + 1))
            {
                dirty.add(Integer.toString(unit));
                qp.read(line, 0, line.capacity(), dataRegion, (long)unit << view.geometry().unitShift());
                sum += line.getLong(0);
            }
            System.out.println(dirty);
            System.out.println("SUM " + sum);
        }
        catch (final RuntimeException ex)
        {
            System.out.println("FAILED " + ex);
        }
    }
}
