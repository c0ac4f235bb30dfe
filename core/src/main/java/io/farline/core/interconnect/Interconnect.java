package io.farline.core.interconnect;

import io.farline.core.tracking.OwnershipSink;
import io.farline.core.tracking.TrackedMemory;
import io.farline.transport.JvmFlags;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.farline.core.interconnect.InterconnectEventDescriptor.*;

/**
 * The interconnect model: the bus between tracked memory and the devices attached to it, in the role of the coherence
 * interconnect that seed 003's FPGA sits on.
 * <p>
 * Tracked memories {@link #connect} to it as numbered ports. From then on each clean-to-dirty transition in a port's
 * bitmap (the "ownership" event, see {@link OwnershipSink}) and each miss reported with {@link #publishMiss} is
 * written, on the thread that caused it, into a many-to-one ring buffer. The interconnect's {@link #doWork()} reads
 * the ring, hands each event to every attached {@link InterconnectDevice}, then runs each device's own work. When the
 * ring is full an event is dropped and counted instead of blocking the writer; devices are told and fall back to the
 * bitmaps, which stay the source of truth.
 * <p>
 * Running: {@link #start} runs the interconnect on an {@link AgentRunner} thread of its own; otherwise the caller
 * invokes {@link #doWork()}, from one thread at a time. Ports and devices are connected and attached before it runs.
 * {@link #close()} stops the thread, disconnects the ports and closes the devices.
 */
public final class Interconnect implements Agent, AutoCloseable
{
    /** Default event buffer: 1 MiB, 65536 events. */
    public static final int DEFAULT_EVENT_BUFFER_BYTES = 1 << 20;
    /** Most events handed out per duty cycle. */
    public static final int EVENTS_PER_CYCLE = 4096;

    private static final long CATCH_UP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final ManyToOneRingBuffer events;
    private final AtomicLong lostEvents = new AtomicLong();
    /** Lost events every device has been told of; written by the agent only, read by awaitEventsHandled. */
    private final AtomicLong lostEventsReported = new AtomicLong();
    private final List<TrackedMemory> ports = new ArrayList<>();
    private final MessageHandler dispatcher = this::dispatch;
    private InterconnectDevice[] devices = new InterconnectDevice[0];
    private volatile AgentRunner runner;
    private volatile boolean closed;

    /**
     * An interconnect with the default event buffer.
     */
    public Interconnect()
    {
        this(DEFAULT_EVENT_BUFFER_BYTES);
    }

    /**
     * @param eventBufferBytes capacity of the event ring, a power of two of at least 1 KiB.
     * @throws IllegalArgumentException if the capacity is not a power of two or is too small.
     * @throws IllegalStateException naming the JVM flag Farline needs, if this JVM was started without it.
     */
    public Interconnect(final int eventBufferBytes)
    {
        JvmFlags.ensurePresent(); // before Agrona reaches jdk.internal.misc.Unsafe, which needs them
        if (!BitUtil.isPowerOfTwo(eventBufferBytes) || eventBufferBytes < 1024)
        {
            throw new IllegalArgumentException("event buffer of " + eventBufferBytes + " bytes must be a power of " +
                "two of at least 1024");
        }
        final AtomicBuffer memory = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            eventBufferBytes + RingBufferDescriptor.TRAILER_LENGTH, 128));
        this.events = new ManyToOneRingBuffer(memory);
    }

    /**
     * Connects tracked memory: from now on its clean-to-dirty transitions are published to the devices.
     *
     * @param memory the tracked memory; it may be connected to one interconnect only.
     * @return its port number, by which events and devices name it.
     * @throws IllegalStateException if the memory is already connected, or the interconnect is running or closed.
     */
    public synchronized int connect(final TrackedMemory memory)
    {
        checkConfigurable();
        if (null != memory.dirtyBitmap().ownershipSink())
        {
            throw new IllegalStateException(memory + " is already connected to an interconnect");
        }
        final int port = ports.size();
        ports.add(memory);
        memory.dirtyBitmap().ownershipSink(new PortPublisher(port));
        return port;
    }

    /**
     * @param port a port number from {@link #connect}.
     * @return the tracked memory on that port.
     * @throws IllegalArgumentException if no memory has that port.
     */
    public synchronized TrackedMemory port(final int port)
    {
        if (port < 0 || port >= ports.size())
        {
            throw new IllegalArgumentException("no tracked memory on port " + port + " (ports 0.." +
                (ports.size() - 1) + ")");
        }
        return ports.get(port);
    }

    /**
     * Attaches a device; it sees the events published from now on.
     *
     * @param device to attach.
     * @throws IllegalStateException if the interconnect is running or closed.
     */
    public synchronized void attach(final InterconnectDevice device)
    {
        checkConfigurable();
        final InterconnectDevice[] grown = Arrays.copyOf(devices, devices.length + 1);
        grown[devices.length] = device;
        devices = grown;
    }

    /**
     * Publishes a miss: an access to a unit that is not present locally.
     *
     * @param port      the tracked memory's port.
     * @param unitIndex the unit missed.
     * @return true if published, false if the event buffer was full (the miss is counted as a lost event).
     */
    public boolean publishMiss(final int port, final int unitIndex)
    {
        return publish(EVENT_MISS, port, unitIndex, 0L);
    }

    /**
     * @return the number of events dropped because the event buffer was full.
     */
    public long lostEventCount()
    {
        return lostEvents.get();
    }

    /**
     * Runs the interconnect on a thread of its own.
     *
     * @param idleStrategy how the thread waits when there is no work.
     * @throws IllegalStateException if already started or closed.
     */
    public synchronized void start(final IdleStrategy idleStrategy)
    {
        checkConfigurable();
        final AgentRunner agentRunner = new AgentRunner(idleStrategy, Throwable::printStackTrace, null, this);
        AgentRunner.startOnThread(agentRunner);
        runner = agentRunner;
    }

    /**
     * Waits until every event published before this call has been handed to the devices, and every event lost before
     * this call has been reported to them with {@link InterconnectDevice#onEventsLost}: by the interconnect's thread if
     * it was started, else by running {@link #doWork()} on this thread. So a store that completed before this call is
     * either in some device callback that has returned, or covered by a loss report that has returned.
     *
     * @throws IllegalStateException if the interconnect's thread does not catch up within 10 s.
     */
    public void awaitEventsHandled()
    {
        final long position = events.producerPosition();
        final long lost = lostEvents.get();
        if (null == runner)
        {
            while (!handled(position, lost))
            {
                doWork();
            }
            return;
        }
        final long deadlineNs = System.nanoTime() + CATCH_UP_TIMEOUT_NS;
        while (!handled(position, lost))
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("interconnect thread did not hand out events up to position " +
                    position + " and report " + lost + " lost events within 10 s (at " + events.consumerPosition() +
                    ", " + lostEventsReported.get() + " reported)");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * One duty cycle: hands out up to {@link #EVENTS_PER_CYCLE} events, reports dropped events, runs every device.
     *
     * @return work done.
     */
    @Override
    public int doWork()
    {
        int work = events.read(dispatcher, EVENTS_PER_CYCLE);
        final InterconnectDevice[] devices = this.devices;
        final long lost = lostEvents.get();
        final long reported = lostEventsReported.getPlain(); // only the duty cycle writes it, one thread at a time
        if (lost != reported)
        {
            for (final InterconnectDevice device : devices)
            {
                device.onEventsLost(lost - reported);
            }
            // Publishes that every device has been told (its onEventsLost has returned) to awaitEventsHandled, whose
            // getAcquire in handled() then sees what the devices recorded.
            lostEventsReported.setRelease(lost);
            work++;
        }
        for (final InterconnectDevice device : devices)
        {
            work += device.doWork();
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "farline-interconnect";
    }

    /**
     * Stops the thread if started, disconnects every port and closes every device. Idempotent.
     */
    @Override
    public void close()
    {
        final AgentRunner agentRunner;
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            agentRunner = runner;
        }
        if (null != agentRunner)
        {
            CloseHelper.close(agentRunner); // runs onClose on the agent thread
        }
        else
        {
            onClose();
        }
    }

    @Override
    public void onClose()
    {
        synchronized (this)
        {
            for (final TrackedMemory memory : ports)
            {
                memory.dirtyBitmap().ownershipSink(null);
            }
        }
        for (final InterconnectDevice device : devices)
        {
            device.onClose();
        }
    }

    private void dispatch(final int type, final MutableDirectBuffer buffer, final int index,
        final int length)
    {
        final int port = buffer.getInt(index + EVENT_PORT_OFFSET);
        final int eventIndex = buffer.getInt(index + EVENT_INDEX_OFFSET);
        final InterconnectDevice[] devices = this.devices;
        if (EVENT_OWNERSHIP == type)
        {
            final long bits = buffer.getLong(index + EVENT_BITS_OFFSET);
            for (final InterconnectDevice device : devices)
            {
                device.onOwnership(port, eventIndex, bits);
            }
        }
        else
        {
            for (final InterconnectDevice device : devices)
            {
                device.onMiss(port, eventIndex);
            }
        }
    }

    /**
     * @return true once the events up to {@code position} have been handed out and {@code lost} losses reported.
     */
    private boolean handled(final long position, final long lost)
    {
        // Both acquire what the agent published: the consumer position (Agrona's release after the batch's callbacks)
        // and the loss count (the release in doWork after the devices' onEventsLost).
        return events.consumerPosition() >= position && lostEventsReported.getAcquire() >= lost;
    }

    private boolean publish(final int type, final int port, final int index, final long bits)
    {
        final int claim = events.tryClaim(type, EVENT_LENGTH);
        if (claim <= 0)
        {
            lostEvents.getAndIncrement();
            return false;
        }
        final AtomicBuffer buffer = events.buffer();
        buffer.putInt(claim + EVENT_PORT_OFFSET, port);
        buffer.putInt(claim + EVENT_INDEX_OFFSET, index);
        buffer.putLong(claim + EVENT_BITS_OFFSET, bits);
        events.commit(claim); // release: the agent's read acquires the record length and then sees the fields
        return true;
    }

    private void checkConfigurable()
    {
        if (closed)
        {
            throw new IllegalStateException("interconnect is closed");
        }
        if (null != runner)
        {
            throw new IllegalStateException("interconnect is running: connect ports and attach devices before start");
        }
    }

    /** Publishes a port's ownership events; lives in the port's bitmap. */
    private final class PortPublisher implements OwnershipSink
    {
        private final int port;

        PortPublisher(final int port)
        {
            this.port = port;
        }

        @Override
        public void onOwnership(final int wordIndex, final long newlyDirtyBits)
        {
            publish(EVENT_OWNERSHIP, port, wordIndex, newlyDirtyBits);
        }
    }
}
