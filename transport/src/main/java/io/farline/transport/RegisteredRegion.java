package io.farline.transport;

import io.farline.transport.internal.SharedFiles;
import io.farline.transport.region.RegionFile;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A memory region this node registered: a mapped file peers can reach with one-sided verbs, as far as its access
 * flags allow, when they present its rkey. Obtained from {@link Node#registerRegion(long, int)}.
 * <p>
 * The owner reads and writes the region through {@link #buffer()}; remote verbs act on the same memory. Local and
 * remote accesses are not ordered with each other beyond what the owner's own memory-ordering operations say
 * (RDMA gives no more). Thread-safe. {@link #close()} deregisters: every later remote verb fails with a remote
 * access error, the file is deleted, and the buffer handed out is emptied, so a later local access throws
 * {@link IndexOutOfBoundsException} rather than reaching freed memory.
 */
public final class RegisteredRegion implements AutoCloseable
{
    private static final byte[] EMPTY = new byte[0];

    private final Node node;
    private final RegionFile file;
    private final UnsafeBuffer buffer;
    private volatile boolean closed;

    RegisteredRegion(final Node node, final RegionFile file)
    {
        this.node = node;
        this.file = file;
        this.buffer = new UnsafeBuffer(file.data(), 0, file.dataLength());
    }

    /**
     * @return the region id within the owning node.
     */
    public int regionId()
    {
        return file.regionId();
    }

    /**
     * @return the remote key peers must present.
     */
    public long rkey()
    {
        return file.rkey();
    }

    /**
     * @return the registration's {@link AccessFlags}.
     */
    public int accessFlags()
    {
        return file.accessFlags();
    }

    /**
     * @return length of the region in bytes.
     */
    public int lengthBytes()
    {
        return file.dataLength();
    }

    /**
     * @return what a peer needs to reach this region.
     * @throws IllegalStateException if deregistered.
     */
    public RegionHandle handle()
    {
        checkOpen();
        return new RegionHandle(file.nodeId(), file.regionId(), file.rkey(), file.dataLength());
    }

    /**
     * The region's memory for local reads and writes. Requires {@link AccessFlags#LOCAL_WRITE}; see
     * {@link #readOnlyBuffer()} otherwise.
     *
     * @return the region's memory, offset 0 being its first byte.
     * @throws IllegalStateException if deregistered or registered without LOCAL_WRITE.
     */
    public AtomicBuffer buffer()
    {
        checkOpen();
        if ((file.accessFlags() & AccessFlags.LOCAL_WRITE) == 0)
        {
            throw new IllegalStateException("region " + file.regionId() + " was registered without LOCAL_WRITE (" +
                AccessFlags.toString(file.accessFlags()) + "); use readOnlyBuffer()");
        }
        return buffer;
    }

    /**
     * @return the region's memory for reading.
     * @throws IllegalStateException if deregistered.
     */
    public DirectBuffer readOnlyBuffer()
    {
        checkOpen();
        return buffer;
    }

    /**
     * @return true once deregistered.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Deregisters the region. Remote verbs that already passed their checks may still complete; every verb checked
     * after this returns fails with {@link CompletionStatus#REMOTE_ACCESS_ERROR}. Idempotent.
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
        file.markDeregisteredRelease();
        SharedFiles.deleteIfExists(file.file());
        // The mapping is released by the GC once unreferenced (see SharedFiles); emptying the buffer makes a later
        // local access through it fail its bounds check instead of writing to a deregistered region.
        buffer.wrap(EMPTY);
        node.onRegionClosed(this);
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("region " + file.regionId() + " of node " + file.nodeId() +
                " is deregistered");
        }
    }

    @Override
    public String toString()
    {
        return "RegisteredRegion{node=" + file.nodeId() + ", region=" + file.regionId() + ", length=" +
            file.dataLength() + ", access=" + AccessFlags.toString(file.accessFlags()) + (closed ? ", closed" : "") +
            '}';
    }
}
