package io.farline.core.tracking;

import io.farline.transport.AccessFlags;
import io.farline.transport.JvmFlags;
import io.farline.transport.Node;
import io.farline.transport.RegionHandle;
import io.farline.transport.RegisteredRegion;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A region of off-heap memory whose every store is tracked at the granularity of a {@link TrackingGeometry}'s unit:
 * the data, a {@link DirtyBitmap} over it, the {@link TrackedBuffer} through which the application reads and writes,
 * and the {@link DirtyDrainer} that collects what was written.
 * <p>
 * {@link #register} places both the data and the bitmap in memory registered with a transport {@link Node}, so that
 * peers can read them with one-sided READs (a peer reads the bitmap through {@link DirtyBitmapView}). Neither is
 * registered for remote writes: a one-sided WRITE bypasses the CPU, so it could not be tracked. {@link #allocate}
 * makes process-private tracked memory, for code that needs no peers.
 * <p>
 * Ownership: the tracked memory owns its buffers and, when registered, its two regions; {@link #close()} releases
 * them. Threading: {@link #buffer()} may be used by any number of threads; {@link #drainer()} by one thread at a
 * time; {@link #close()} once nothing else uses the memory.
 */
public final class TrackedMemory implements AutoCloseable
{
    /** Access flags of the data region: written locally, readable by peers. */
    public static final int DATA_ACCESS_FLAGS = AccessFlags.LOCAL_WRITE | AccessFlags.REMOTE_READ;
    /** Access flags of the bitmap region: written locally, readable by peers. */
    public static final int BITMAP_ACCESS_FLAGS = AccessFlags.LOCAL_WRITE | AccessFlags.REMOTE_READ;

    private final TrackingGeometry geometry;
    private final DirtyBitmap bitmap;
    private final TrackedBuffer buffer;
    private final UnsafeBuffer untracked;
    private final DirtyDrainer drainer;
    private final RegisteredRegion dataRegion;
    private final RegisteredRegion bitmapRegion;
    private volatile boolean closed;

    private TrackedMemory(
        final TrackingGeometry geometry,
        final AtomicBuffer data,
        final AtomicBuffer bitmapMemory,
        final RegisteredRegion dataRegion,
        final RegisteredRegion bitmapRegion)
    {
        this.geometry = geometry;
        this.bitmap = DirtyBitmap.format(bitmapMemory, geometry);
        this.buffer = new TrackedBuffer(data, bitmap);
        this.untracked = new UnsafeBuffer(data, 0, data.capacity());
        this.drainer = new DirtyDrainer(bitmap);
        this.dataRegion = dataRegion;
        this.bitmapRegion = bitmapRegion;
    }

    /**
     * Makes process-private tracked memory: page-aligned off-heap data and bitmap, zeroed, every unit clean.
     *
     * @param geometry of the region.
     * @return the tracked memory.
     * @throws IllegalStateException naming the JVM flag Farline needs, if this JVM was started without it.
     */
    public static TrackedMemory allocate(final TrackingGeometry geometry)
    {
        JvmFlags.ensurePresent(); // before Agrona reaches jdk.internal.misc.Unsafe, which needs them
        final AtomicBuffer data = new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(geometry.lengthBytes(), geometry.pageSizeBytes()));
        final AtomicBuffer bitmapMemory = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            DirtyBitmapDescriptor.lengthBytes(geometry), DirtyBitmapDescriptor.DIRTY_SLOT_ALIGNMENT));
        return new TrackedMemory(geometry, data, bitmapMemory, null, null);
    }

    /**
     * Makes tracked memory in two regions registered with {@code node}, one for the data and one for the bitmap, both
     * with {@link #DATA_ACCESS_FLAGS}. Every unit starts clean.
     *
     * @param node     that registers the regions.
     * @param geometry of the region; its page size must divide 4 KiB or be a multiple of it, since registered data is
     *                 4 KiB aligned.
     * @return the tracked memory.
     * @throws IllegalArgumentException if the node cannot register regions that large.
     */
    public static TrackedMemory register(final Node node, final TrackingGeometry geometry)
    {
        final RegisteredRegion dataRegion = node.registerRegion(geometry.lengthBytes(), DATA_ACCESS_FLAGS);
        try
        {
            final RegisteredRegion bitmapRegion =
                node.registerRegion(DirtyBitmapDescriptor.lengthBytes(geometry), BITMAP_ACCESS_FLAGS);
            try
            {
                return new TrackedMemory(geometry, dataRegion.buffer(), bitmapRegion.buffer(), dataRegion,
                    bitmapRegion);
            }
            catch (final RuntimeException ex)
            {
                bitmapRegion.close();
                throw ex;
            }
        }
        catch (final RuntimeException ex)
        {
            dataRegion.close();
            throw ex;
        }
    }

    /**
     * @return the region's geometry.
     */
    public TrackingGeometry geometry()
    {
        return geometry;
    }

    /**
     * @return the tracked view through which to read and write; marks every store dirty.
     */
    public TrackedBuffer buffer()
    {
        return buffer;
    }

    /**
     * A view of the same memory whose stores are not tracked: for filling the memory from a copy that is already
     * clean, as a cache does when it fetches a page from its home. Stores through it are invisible to drains; use it
     * for nothing else.
     *
     * @return the untracked view; its capacity drops to 0 on close.
     */
    public UnsafeBuffer untrackedView()
    {
        return untracked;
    }

    /**
     * @return the dirty bitmap.
     */
    public DirtyBitmap dirtyBitmap()
    {
        return bitmap;
    }

    /**
     * @return the drainer of this memory's bitmap; one thread at a time.
     * @throws IllegalStateException if closed.
     */
    public DirtyDrainer drainer()
    {
        checkOpen();
        return drainer;
    }

    /**
     * @return the number of drain passes completed so far.
     */
    public long epoch()
    {
        return bitmap.epochAcquire();
    }

    /**
     * @return true if the memory was made by {@link #register}.
     */
    public boolean isRegistered()
    {
        return null != dataRegion;
    }

    /**
     * @return what a peer needs to READ the data.
     * @throws IllegalStateException if not registered, or closed.
     */
    public RegionHandle dataHandle()
    {
        checkOpen();
        return registered(dataRegion).handle();
    }

    /**
     * @return what a peer needs to READ the bitmap.
     * @throws IllegalStateException if not registered, or closed.
     */
    public RegionHandle bitmapHandle()
    {
        checkOpen();
        return registered(bitmapRegion).handle();
    }

    /**
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Releases the memory: the view's capacity drops to 0 and registered regions are deregistered. Idempotent.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        buffer.detach();
        untracked.wrap(new byte[0]);
        bitmap.close();
        if (null != dataRegion)
        {
            dataRegion.close();
            bitmapRegion.close();
        }
    }

    @Override
    public String toString()
    {
        return "TrackedMemory{" + geometry + (isRegistered() ? ", registered" : "") + (closed ? ", closed}" : "}");
    }

    private RegisteredRegion registered(final RegisteredRegion region)
    {
        if (null == region)
        {
            throw new IllegalStateException("tracked memory made by allocate() is not registered with a node");
        }
        return region;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("tracked memory is closed: " + geometry);
        }
    }
}
