package io.farline.core.interconnect;

import io.farline.core.tracking.OwnershipSink;
import io.farline.core.tracking.TrackedMemory;
import io.farline.transport.JvmFlags;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.ArrayUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;
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
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
 * Running: {@link #start} runs the interconnect on an {@link AgentRunner} thread of its own. It is an {@link Agent},
 * so the application may run it on its own runner instead, an {@link AgentRunner} or an {@link AgentInvoker}:
 * {@link #onStart()} makes that runner's thread the only one that runs duty cycles, and from then on
 * {@link #awaitEventsHandled()} on other threads only waits for it. Without a runner the caller invokes
 * {@link #doWork()}, from one thread at a time. A duty cycle never runs on two threads at once: {@link #doWork()}
 * throws {@link IllegalStateException} when called from another thread while a runner drives the interconnect, or
 * while another thread is in a duty cycle. Ports and devices are connected and attached before it runs.
 * {@link #close()} stops the thread, disconnects the ports and closes the devices.
 */
public final class Interconnect implements Agent, AutoCloseable
{
    /** Default event buffer: 1 MiB, 65536 events. */
    public static final int DEFAULT_EVENT_BUFFER_BYTES = 1 << 20;
    /** Most events handed out per duty cycle. */
    public static final int EVENTS_PER_CYCLE = 4096;

    private static final long CATCH_UP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    /** From {@link #tryCallerDutyCycle}: a runner's thread drives the interconnect, no duty cycle was run. */
    private static final int RUNNER_DRIVES = -1;
    /** From {@link #tryCallerDutyCycle}: another thread is in a duty cycle, none was run. */
    private static final int DUTY_CYCLE_BUSY = -2;

    private final ManyToOneRingBuffer events;
    private final AtomicLong lostEvents = new AtomicLong();
    /** Lost events every device has been told of; written by the agent only, read by awaitEventsHandled. */
    private final AtomicLong lostEventsReported = new AtomicLong();
    private final List<TrackedMemory> ports = new ArrayList<>();
    private final MessageHandler dispatcher = this::dispatch;
    private InterconnectDevice[] devices = new InterconnectDevice[0];
    /** Tracking units of each port, by port number: what publishMiss checks against; replaced on connect. */
    private volatile int[] portUnitCounts = new int[0];
    /** The thread of the runner that drives the duty cycles (ours or the application's), set once by onStart. */
    private final AtomicReference<Thread> runnerThread = new AtomicReference<>();
    /**
     * Threads of runners refused in {@link #onStart()}: Agrona's runners and invokers call {@code onClose} after a
     * failed {@code onStart}, and that call must not tear down what the running runner drives.
     */
    private final Set<Thread> refusedRunners = ConcurrentHashMap.newKeySet();
    /** Held while a thread that is not a runner's runs a duty cycle; see onStart and tryCallerDutyCycle. */
    private final AtomicBoolean callerInDutyCycle = new AtomicBoolean();
    private final AtomicBoolean devicesClosed = new AtomicBoolean();
    private final ErrorHandler errorHandler;
    private final long catchUpTimeoutNs;
    /** Exceptions devices threw; written by the duty cycle only, one thread at a time. */
    private volatile long deviceErrorCount;
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
        this(eventBufferBytes, Throwable::printStackTrace);
    }

    /**
     * @param eventBufferBytes capacity of the event ring, a power of two of at least 1 KiB.
     * @param errorHandler     told of every exception a device throws, on the thread of the duty cycle; also the
     *                         error handler of the runner {@link #start} makes.
     * @throws IllegalArgumentException if the capacity is not a power of two or is too small.
     * @throws IllegalStateException naming the JVM flag Farline needs, if this JVM was started without it.
     */
    public Interconnect(final int eventBufferBytes, final ErrorHandler errorHandler)
    {
        this(eventBufferBytes, errorHandler, CATCH_UP_TIMEOUT_NS);
    }

    /**
     * For tests: an interconnect whose {@link #awaitEventsHandled()} gives up sooner.
     *
     * @param eventBufferBytes capacity of the event ring, a power of two of at least 1 KiB.
     * @param errorHandler     told of every exception a device throws.
     * @param catchUpTimeoutNs how long {@link #awaitEventsHandled()} waits before it throws.
     */
    Interconnect(final int eventBufferBytes, final ErrorHandler errorHandler, final long catchUpTimeoutNs)
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
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
        this.catchUpTimeoutNs = catchUpTimeoutNs;
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
        final int[] unitCounts = Arrays.copyOf(portUnitCounts, port + 1);
        unitCounts[port] = memory.geometry().unitCount();
        // Publishes the filled array to publishMiss, which loads the field with volatile semantics.
        portUnitCounts = unitCounts;
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
        devices = ArrayUtil.add(devices, device);
    }

    /**
     * @param device a device.
     * @return true if that device (the same object) is attached to this interconnect.
     */
    public synchronized boolean isAttached(final InterconnectDevice device)
    {
        for (final InterconnectDevice attached : devices)
        {
            if (attached == device)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Publishes a miss: an access to a unit that is not present locally.
     * <p>
     * Threading: any thread. A miss is rare next to a store and costs a fetch, so the checks here cost nothing that
     * matters.
     *
     * @param port      the tracked memory's port.
     * @param unitIndex the unit missed, in {@code 0..unitCount-1} of that memory.
     * @return true if published, false if the event buffer was full (the miss is counted as a lost event).
     * @throws IllegalArgumentException if no memory has that port or the unit is outside it.
     * @throws IllegalStateException    if the interconnect is closed.
     */
    public boolean publishMiss(final int port, final int unitIndex)
    {
        if (closed)
        {
            throw new IllegalStateException("interconnect is closed: no miss can be published");
        }
        final int[] unitCounts = portUnitCounts;
        if (port < 0 || port >= unitCounts.length || unitIndex < 0 || unitIndex >= unitCounts[port])
        {
            throw badMiss(port, unitIndex, unitCounts);
        }
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
     * @return the number of exceptions devices have thrown from their callbacks and duty cycles.
     */
    public long deviceErrorCount()
    {
        return deviceErrorCount;
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
        final AgentRunner agentRunner = new AgentRunner(idleStrategy, errorHandler, null, this);
        AgentRunner.startOnThread(agentRunner);
        runner = agentRunner;
    }

    /**
     * Waits until every event published before this call has been handed to the devices, and every event lost before
     * this call has been reported to them with {@link InterconnectDevice#onEventsLost}. If a runner drives the
     * interconnect (its own thread after {@link #start}, or the application's runner) this thread only waits for it,
     * unless this thread is the runner's (an {@link AgentInvoker}'s); otherwise it runs duty cycles itself. So a store
     * that completed before this call is either in some device callback that has returned, or covered by a loss report
     * that has returned.
     * <p>
     * Threading: any thread, but not from inside a device callback.
     *
     * @throws IllegalStateException if the interconnect is closed, or the events are not handed out within 10 s (a
     *                               device callback that does not return, or a runner that has stopped).
     */
    public void awaitEventsHandled()
    {
        if (closed)
        {
            throw new IllegalStateException("interconnect is closed: its devices handle no more events");
        }
        final long position = events.producerPosition();
        final long lost = lostEvents.get();
        final long deadlineNs = System.nanoTime() + catchUpTimeoutNs;
        while (!handled(position, lost))
        {
            final Thread runnerThread = this.runnerThread.get();
            if (Thread.currentThread() == runnerThread)
            {
                dutyCycle();
            }
            else if (null != runnerThread || tryCallerDutyCycle() < 0)
            {
                Thread.onSpinWait(); // a runner, or another thread in a duty cycle, hands the events out
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw catchUpTimedOut(position, lost);
            }
        }
    }

    /**
     * One duty cycle: hands out up to {@link #EVENTS_PER_CYCLE} events, reports dropped events, runs every device.
     * <p>
     * Threading: the runner's thread once a runner has called {@link #onStart()}; otherwise any one thread at a time.
     *
     * @return work done.
     * @throws IllegalStateException if a runner drives the interconnect on another thread, or another thread is in a
     *                               duty cycle: two readers of the many-to-one event ring would corrupt it.
     */
    @Override
    public int doWork()
    {
        if (Thread.currentThread() == runnerThread.get())
        {
            return dutyCycle(); // the runner's thread: the only one that runs duty cycles, no guard needed
        }
        final int work = tryCallerDutyCycle();
        if (work < 0)
        {
            throw dutyCycleRefused(work);
        }
        return work;
    }

    /**
     * Called by the runner that drives the interconnect, on its thread, before its first duty cycle: from now on only
     * that thread runs duty cycles, and {@link #awaitEventsHandled()} on other threads waits for it. An
     * {@code AgentInvoker} must therefore be started on the thread that invokes it.
     *
     * @throws IllegalStateException if another runner already drives it (that runner then does not start).
     */
    @Override
    public void onStart()
    {
        final Thread current = Thread.currentThread();
        // Publishes this thread as the only one that runs duty cycles to doWork and awaitEventsHandled on other
        // threads, which load it. Sequentially consistent, as is the load of callerInDutyCycle below.
        if (!runnerThread.compareAndSet(null, current) && runnerThread.get() != current)
        {
            refusedRunners.add(current);
            throw new IllegalStateException("interconnect is already run by thread " + runnerThread.get().getName() +
                "; one runner at a time");
        }
        // A caller may have entered a duty cycle before it could see runnerThread: it took callerInDutyCycle and only
        // then loads runnerThread, so either it sees this thread and stops, or this load sees its flag and waits for
        // its duty cycle to end (the flag's release store publishes what that duty cycle did).
        while (callerInDutyCycle.get())
        {
            Thread.onSpinWait();
        }
    }

    @Override
    public String roleName()
    {
        return "farline-interconnect";
    }

    /**
     * Stops the thread if started, disconnects every port and closes every device. Idempotent. If the application's
     * runner drives the interconnect, closing that runner does this on its thread ({@link #onClose()}); this call then
     * only marks the interconnect closed, so close the runner too.
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
        else if (null == runnerThread.get() || Thread.currentThread() == runnerThread.get())
        {
            onClose();
        }
        // else the application's runner may be in a duty cycle now: its close runs onClose on its thread.
    }

    /**
     * Disconnects every port and closes every device, once: called by the runner that drives the interconnect when
     * it closes, or by {@link #close()}.
     */
    @Override
    public void onClose()
    {
        if (refusedRunners.remove(Thread.currentThread()))
        {
            return; // the close of a runner onStart refused: the interconnect runs on, under its own runner
        }
        if (devicesClosed.getAndSet(true))
        {
            return;
        }
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
        // Agrona counts the record consumed even if this handler throws, so no exception may leave it before every
        // device has had the event: each device's is caught here (try costs nothing until something is thrown).
        Error fatal = null;
        if (EVENT_OWNERSHIP == type)
        {
            final long bits = buffer.getLong(index + EVENT_BITS_OFFSET);
            for (final InterconnectDevice device : devices)
            {
                try
                {
                    device.onOwnership(port, eventIndex, bits);
                }
                catch (final Throwable ex)
                {
                    fatal = deviceMissedEvent(device, ex, fatal);
                }
            }
        }
        else
        {
            for (final InterconnectDevice device : devices)
            {
                try
                {
                    device.onMiss(port, eventIndex);
                }
                catch (final Throwable ex)
                {
                    fatal = deviceMissedEvent(device, ex, fatal);
                }
            }
        }
        if (null != fatal)
        {
            throw fatal; // every device has had the event: the record is handled, the runner reports and stops
        }
    }

    /**
     * A device's event callback threw: the event may be half-recorded, so it counts as lost for that device, which
     * is told at once (before the consumer position moves on, so awaitEventsHandled covers it) and falls back to the
     * bitmap.
     *
     * @return the first Error thrown in this duty cycle, to rethrow once every device has had the event.
     */
    private Error deviceMissedEvent(final InterconnectDevice device, final Throwable failure, final Error fatal)
    {
        Error first = deviceFailed(failure, fatal);
        try
        {
            device.onEventsLost(1);
        }
        catch (final Throwable ex)
        {
            first = deviceFailed(ex, first);
        }
        return first;
    }

    /**
     * Counts an exception a device threw and reports it to the error handler; an Error is not reported here but kept
     * for the caller to rethrow (the runner reports it and stops, as for any agent).
     *
     * @return the first Error thrown in this duty cycle, or null.
     */
    private Error deviceFailed(final Throwable failure, final Error fatal)
    {
        // Single writer (the duty cycle): plain read-modify-write, volatile store for readers of the count.
        deviceErrorCount = deviceErrorCount + 1;
        if (failure instanceof Error)
        {
            return null == fatal ? (Error)failure : fatal;
        }
        errorHandler.onError(failure);
        return fatal;
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

    /**
     * Runs a duty cycle on a thread that is not a runner's, unless a runner drives the interconnect or another thread
     * is in a duty cycle.
     *
     * @return work done, or {@link #RUNNER_DRIVES} or {@link #DUTY_CYCLE_BUSY} if none was run.
     */
    private int tryCallerDutyCycle()
    {
        // The compareAndSet is sequentially consistent and precedes the load of runnerThread; onStart stores
        // runnerThread and then loads this flag. One of the two sees the other, so a caller's duty cycle and a
        // runner's never overlap. Uncontended, it costs one atomic per duty cycle of a caller; a runner's duty cycles
        // only load runnerThread.
        if (!callerInDutyCycle.compareAndSet(false, true))
        {
            return DUTY_CYCLE_BUSY;
        }
        try
        {
            return null != runnerThread.get() ? RUNNER_DRIVES : dutyCycle();
        }
        finally
        {
            // Publishes this duty cycle's effects to the next caller's compareAndSet and to onStart's load.
            callerInDutyCycle.setRelease(false);
        }
    }

    /**
     * One duty cycle; the caller has made sure no other thread is in one.
     */
    private int dutyCycle()
    {
        int work = events.read(dispatcher, EVENTS_PER_CYCLE);
        final InterconnectDevice[] devices = this.devices;
        final long lost = lostEvents.get();
        final long reported = lostEventsReported.getPlain(); // only the duty cycle writes it, one thread at a time
        Error fatal = null;
        if (lost != reported)
        {
            for (final InterconnectDevice device : devices)
            {
                try
                {
                    device.onEventsLost(lost - reported);
                }
                catch (final Throwable ex)
                {
                    fatal = deviceFailed(ex, fatal);
                }
            }
            // Publishes that every device has been told (its onEventsLost has returned) to awaitEventsHandled, whose
            // getAcquire in handled() then sees what the devices recorded.
            lostEventsReported.setRelease(lost);
            work++;
        }
        for (final InterconnectDevice device : devices)
        {
            try
            {
                work += device.doWork();
            }
            catch (final Throwable ex)
            {
                fatal = deviceFailed(ex, fatal); // the other devices still do their work
            }
        }
        if (null != fatal)
        {
            throw fatal;
        }
        return work;
    }

    private IllegalStateException dutyCycleRefused(final int reason)
    {
        final Thread runnerThread = this.runnerThread.get();
        return new IllegalStateException(RUNNER_DRIVES == reason ?
            "interconnect is run by thread " + (null == runnerThread ? "?" : runnerThread.getName()) + ", not " +
            Thread.currentThread().getName() + ": call awaitEventsHandled() to wait for it instead of doWork() (an " +
            "AgentInvoker must be started on the thread that invokes it)" :
            "another thread is in an interconnect duty cycle; doWork() runs on one thread at a time");
    }

    private static IllegalArgumentException badMiss(final int port, final int unitIndex, final int[] unitCounts)
    {
        if (port < 0 || port >= unitCounts.length)
        {
            return new IllegalArgumentException("miss on port " + port + ": no tracked memory on it (ports 0.." +
                (unitCounts.length - 1) + ")");
        }
        return new IllegalArgumentException("miss on unit " + unitIndex + " of port " + port + ", outside 0.." +
            (unitCounts[port] - 1));
    }

    private IllegalStateException catchUpTimedOut(final long position, final long lost)
    {
        final Thread runnerThread = this.runnerThread.get();
        return new IllegalStateException("interconnect did not hand out events up to position " + position +
            " and report " + lost + " lost events within " + TimeUnit.NANOSECONDS.toMillis(catchUpTimeoutNs) +
            " ms (at " + events.consumerPosition() + ", " + lostEventsReported.get() + " reported; run by " +
            (null == runnerThread ? "callers" : "thread " + runnerThread.getName()) + ")");
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
        if (null != runner || null != runnerThread.get())
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
