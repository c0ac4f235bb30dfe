package io.farline.core.interconnect;

import io.farline.core.tracking.DirtyRuns;
import io.farline.core.tracking.TrackedMemory;
import io.farline.core.tracking.TrackingGeometry;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterconnectTest
{
    private final TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(64 * 4096));
    private final Interconnect interconnect = new Interconnect();
    private final RecordingDevice device = new RecordingDevice();

    @AfterEach
    void close()
    {
        interconnect.close();
        memory.close();
    }

    @Test
    void shouldPublishOwnershipOnlyWhenAUnitTurnsFromCleanToDirty()
    {
        final int port = interconnect.connect(memory);
        interconnect.attach(device);
        memory.buffer().putLong(64 * 3, 1L);
        memory.buffer().putLong(64 * 3 + 8, 2L); // already dirty: no event
        memory.buffer().putBytes(4096 - 64, new byte[128]); // lines 63 and 64: two words, two events
        interconnect.awaitEventsHandled();
        assertEquals(List.of("own " + port + " w0 " + Long.toHexString(1L << 3),
            "own " + port + " w0 " + Long.toHexString(1L << 63), "own " + port + " w1 1"), device.events);

        device.events.clear();
        memory.drainer().drain(new DirtyRuns(8));
        memory.buffer().putByte(64 * 3, (byte)1); // clean again after the drain: a new transition
        interconnect.awaitEventsHandled();
        assertEquals(List.of("own " + port + " w0 8"), device.events);
    }

    @Test
    void shouldHandMissesToDevices()
    {
        final int port = interconnect.connect(memory);
        interconnect.attach(device);
        assertTrue(interconnect.publishMiss(port, 77));
        interconnect.doWork();
        assertEquals(List.of("miss " + port + " 77"), device.events);
    }

    @Test
    void shouldRefuseAMissOnAnUnknownPortOrUnitOrAfterClose()
    {
        final int port = interconnect.connect(memory);
        final int units = memory.geometry().unitCount();
        final IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class,
            () -> interconnect.publishMiss(99, 0));
        assertTrue(noPort.getMessage().contains("port 99"), noPort.getMessage());
        assertThrows(IllegalArgumentException.class, () -> interconnect.publishMiss(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> interconnect.publishMiss(port, -5));
        final IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
            () -> interconnect.publishMiss(port, units));
        assertTrue(beyond.getMessage().contains("0.." + (units - 1)), beyond.getMessage());
        assertTrue(interconnect.publishMiss(port, units - 1));

        interconnect.close();
        assertThrows(IllegalStateException.class, () -> interconnect.publishMiss(port, 0));
        assertThrows(IllegalStateException.class, interconnect::awaitEventsHandled);
    }

    @Test
    void shouldDropAndCountEventsWhenTheBufferIsFullAndTellDevices()
    {
        try (Interconnect small = new Interconnect(1024))
        {
            small.connect(memory);
            small.attach(device);
            for (int page = 0; page < 64; page++)
            {
                memory.buffer().putByte(page * 4096, (byte)1);
            }
            final long lost = small.lostEventCount();
            assertTrue(lost > 0, "64 events cannot fit a 1 KiB ring of 32-byte records");
            small.doWork();
            assertEquals(64 - lost, device.events.stream().filter(e -> e.startsWith("own")).count());
            assertEquals(List.of(lost), device.lost);
            // The bitmap, the source of truth, still has all 64.
            final DirtyRuns runs = new DirtyRuns(64);
            assertEquals(64, memory.drainer().drain(runs));
        }
    }

    @Test
    void shouldRunOnItsOwnThreadAndCatchUpOnDemand()
    {
        interconnect.connect(memory);
        interconnect.attach(device);
        interconnect.start(new BusySpinIdleStrategy());
        for (int page = 0; page < 10; page++)
        {
            memory.buffer().putByte(page * 4096, (byte)1);
        }
        interconnect.awaitEventsHandled();
        assertEquals(10, device.events.size());
        assertThrows(IllegalStateException.class, () -> interconnect.attach(new RecordingDevice()));
        assertTrue(interconnect.isAttached(device));
        assertFalse(interconnect.isAttached(new RecordingDevice()));
    }

    @Test
    void shouldReturnFromAwaitOnlyAfterLostEventsWereReportedWhenRunningOnItsThread() throws Exception
    {
        final CountDownLatch firstEventHeld = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicLong lostReported = new AtomicLong();
        try (Interconnect small = new Interconnect(1024))
        {
            small.connect(memory);
            small.attach(new InterconnectDevice()
            {
                @Override
                public void onOwnership(final int port, final int wordIndex, final long newlyDirtyBits)
                {
                    if (firstEventHeld.getCount() > 0)
                    {
                        firstEventHeld.countDown();
                        awaitQuietly(release);
                    }
                }

                @Override
                public void onEventsLost(final long lostEvents)
                {
                    // Slow, so that a wait which ends at the consumer position alone returns before this is recorded.
                    sleepQuietly(100);
                    lostReported.addAndGet(lostEvents);
                }

                @Override
                public String roleName()
                {
                    return "slow-loss";
                }
            });
            small.start(new BusySpinIdleStrategy());
            memory.buffer().putByte(0, (byte)1);
            assertTrue(firstEventHeld.await(10, TimeUnit.SECONDS));
            for (int page = 1; page < 64; page++)
            {
                memory.buffer().putByte(page * 4096, (byte)1); // the agent is held in a callback: the ring fills
            }
            assertTrue(small.lostEventCount() > 0, "63 events cannot fit a 1 KiB ring that is not being read");
            release.countDown();
            small.awaitEventsHandled();
            assertEquals(small.lostEventCount(), lostReported.get(), "losses reported by the time the wait returned");
        }
    }

    @Test
    void shouldOnlyWaitForTheApplicationsRunnerWhenItDrivesTheInterconnect()
    {
        final AtomicLong seen = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        interconnect.connect(memory);
        interconnect.attach(new InterconnectDevice()
        {
            @Override
            public void onOwnership(final int port, final int wordIndex, final long newlyDirtyBits)
            {
                seen.addAndGet(Long.bitCount(newlyDirtyBits));
            }

            @Override
            public String roleName()
            {
                return "counter";
            }
        });
        final AgentRunner runner = new AgentRunner(new BusySpinIdleStrategy(), ex -> errors.incrementAndGet(), null,
            interconnect);
        AgentRunner.startOnThread(runner);
        // A second consumer of the many-to-one ring would jam it, and the waiter would spin forever: bound the test.
        final long stored = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        {
            long count = 0;
            final DirtyRuns runs = new DirtyRuns(64 * 64);
            final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (System.nanoTime() - endNs < 0)
            {
                for (int line = 0; line < 64 * 64; line++)
                {
                    memory.buffer().putByte(line * 64, (byte)1);
                    count++;
                    if (0 == (line & 15))
                    {
                        interconnect.awaitEventsHandled();
                    }
                }
                interconnect.awaitEventsHandled();
                memory.drainer().drainEpoch(runs);
            }
            return count;
        });
        // Once the runner's thread has started (a loaded machine may take a while), doWork elsewhere is refused.
        IllegalStateException refused = null;
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (null == refused && System.nanoTime() - deadlineNs < 0)
        {
            try
            {
                interconnect.doWork();
            }
            catch (final IllegalStateException ex)
            {
                refused = ex;
            }
        }
        assertNotNull(refused, "doWork on another thread than the runner's was never refused");
        assertTrue(refused.getMessage().contains("awaitEventsHandled"), refused.getMessage());
        assertThrows(IllegalStateException.class, () -> interconnect.attach(new RecordingDevice()));
        runner.close();
        assertEquals(stored, seen.get(), "events handed to the device exactly once");
        assertEquals(0, errors.get(), "errors reported by the application's runner");
    }

    @Test
    void shouldRunDutyCyclesOnTheCallersThreadWhenAnAgentInvokerDrivesTheInterconnect()
    {
        interconnect.connect(memory);
        interconnect.attach(device);
        final AgentInvoker invoker = new AgentInvoker(Throwable::printStackTrace, null, interconnect);
        invoker.start();
        memory.buffer().putByte(4096, (byte)1);
        interconnect.awaitEventsHandled(); // this thread is the invoker's: it hands the event out itself
        assertEquals(List.of("own 0 w1 1"), device.events);
        invoker.close();
        assertTrue(device.closed);
    }

    @Test
    void shouldGiveUpWaitingWhenAnotherThreadsDutyCycleDoesNotReturn() throws Exception
    {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        try (Interconnect stuck = new Interconnect(1024, Throwable::printStackTrace,
            TimeUnit.MILLISECONDS.toNanos(200)))
        {
            stuck.connect(memory);
            stuck.attach(new InterconnectDevice()
            {
                @Override
                public void onOwnership(final int port, final int wordIndex, final long newlyDirtyBits)
                {
                    held.countDown();
                    awaitQuietly(release);
                }

                @Override
                public String roleName()
                {
                    return "stuck";
                }
            });
            memory.buffer().putByte(0, (byte)1);
            final Thread caller = new Thread(stuck::doWork);
            caller.start();
            assertTrue(held.await(10, TimeUnit.SECONDS));
            // That thread is in a duty cycle: this one must neither run another nor wait forever.
            assertThrows(IllegalStateException.class, stuck::doWork);
            final IllegalStateException timedOut = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(IllegalStateException.class, stuck::awaitEventsHandled));
            assertTrue(timedOut.getMessage().contains("within 200 ms"), timedOut.getMessage());
            release.countDown();
            caller.join();
        }
    }

    @Test
    void shouldStillHandEventsToTheOtherDevicesAndReportWhenOneDeviceThrows()
    {
        final List<Throwable> errors = new ArrayList<>();
        final ThrowingDevice failing = new ThrowingDevice(() -> new IllegalStateException("device fails"));
        try (Interconnect isolating = new Interconnect(1024, errors::add))
        {
            final int port = isolating.connect(memory);
            isolating.attach(failing);
            isolating.attach(device);
            memory.buffer().putLong(4096, 1L);
            assertTrue(isolating.publishMiss(port, 7));
            isolating.doWork();
            assertEquals(List.of("own " + port + " w1 1", "miss " + port + " 7"), device.events);
            assertEquals(1, device.dutyCycles, "the next device's own work ran");
            assertEquals(List.of(1L, 1L), failing.lost, "each event the device failed on counts as lost for it");
            assertEquals(3, errors.size(), "two events and one duty cycle failed: " + errors);
            assertEquals(3, isolating.deviceErrorCount());
        }
    }

    @Test
    void shouldRethrowAnErrorOnlyAfterEveryDeviceHadTheEvent()
    {
        final List<Throwable> errors = new ArrayList<>();
        final ThrowingDevice failing = new ThrowingDevice(() -> new Error("device fails hard"));
        try (Interconnect isolating = new Interconnect(1024, errors::add))
        {
            final int port = isolating.connect(memory);
            isolating.attach(failing);
            isolating.attach(device);
            memory.buffer().putLong(4096, 1L);
            final Error error = assertThrows(Error.class, isolating::doWork);
            assertEquals("device fails hard", error.getMessage());
            assertEquals(List.of("own " + port + " w1 1"), device.events);
            assertEquals(List.of(1L), failing.lost);
            assertEquals(List.of(), errors, "an Error is left to the runner to report");
        }
    }

    @Test
    void shouldDisconnectPortsAndCloseDevicesOnClose()
    {
        interconnect.connect(memory);
        interconnect.attach(device);
        interconnect.close();
        assertNull(memory.dirtyBitmap().ownershipSink());
        assertTrue(device.closed);
        assertThrows(IllegalStateException.class, () -> interconnect.connect(memory));
    }

    @Test
    void shouldRefuseToConnectMemoryTwiceOrToSizeTheBufferBadly()
    {
        interconnect.connect(memory);
        final IllegalStateException twice = assertThrows(IllegalStateException.class,
            () -> interconnect.connect(memory));
        assertTrue(twice.getMessage().contains("already connected"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Interconnect(1000));
        assertThrows(IllegalArgumentException.class, () -> new Interconnect(512));
        assertThrows(IllegalArgumentException.class, () -> interconnect.port(1));
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(final long durationMs)
    {
        try
        {
            Thread.sleep(durationMs);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Throws from every callback and duty cycle; records what it is told of lost events. */
    static final class ThrowingDevice implements InterconnectDevice
    {
        final List<Long> lost = new ArrayList<>();
        private final Supplier<? extends Throwable> failure;

        ThrowingDevice(final Supplier<? extends Throwable> failure)
        {
            this.failure = failure;
        }

        @Override
        public void onOwnership(final int port, final int wordIndex, final long newlyDirtyBits)
        {
            throwUnchecked(failure.get());
        }

        @Override
        public void onMiss(final int port, final int unitIndex)
        {
            throwUnchecked(failure.get());
        }

        @Override
        public void onEventsLost(final long lostEvents)
        {
            lost.add(lostEvents);
        }

        @Override
        public int doWork()
        {
            throwUnchecked(failure.get());
            return 0;
        }

        @Override
        public String roleName()
        {
            return "throwing";
        }

        private static void throwUnchecked(final Throwable failure)
        {
            if (failure instanceof Error)
            {
                throw (Error)failure;
            }
            throw (RuntimeException)failure;
        }
    }

    @Test
    void shouldKeepRunningUnderItsRunnerWhenASecondRunnerIsRefused() throws Exception
    {
        interconnect.connect(memory);
        interconnect.attach(device);
        final List<Throwable> secondErrors = new CopyOnWriteArrayList<>();
        try (AgentRunner first = new AgentRunner(new BusySpinIdleStrategy(), Throwable::printStackTrace, null,
            interconnect))
        {
            AgentRunner.startOnThread(first);
            memory.buffer().putByte(0, (byte)1);
            interconnect.awaitEventsHandled(); // the first runner has started
            // Agrona closes the agent of a runner whose onStart threw: that close must not tear down the interconnect.
            final AgentRunner second = new AgentRunner(new BusySpinIdleStrategy(), secondErrors::add, null,
                interconnect);
            AgentRunner.startOnThread(second).join(TimeUnit.SECONDS.toMillis(10));
            memory.buffer().putByte(4096, (byte)1);
            interconnect.awaitEventsHandled();
            assertEquals(1, secondErrors.size(), "the second runner was refused: " + secondErrors);
            assertFalse(device.closed, "the refused runner closed the running interconnect's devices");
            assertEquals(List.of("own 0 w0 1", "own 0 w1 1"), device.events);
        }
        assertTrue(device.closed, "closing the runner that drives it closes the devices");
    }

    static final class RecordingDevice implements InterconnectDevice
    {
        final List<String> events = new ArrayList<>();
        final List<Long> lost = new ArrayList<>();
        int dutyCycles;
        boolean closed;

        @Override
        public void onOwnership(final int port, final int wordIndex, final long newlyDirtyBits)
        {
            events.add("own " + port + " w" + wordIndex + " " + Long.toHexString(newlyDirtyBits));
        }

        @Override
        public void onMiss(final int port, final int unitIndex)
        {
            events.add("miss " + port + " " + unitIndex);
        }

        @Override
        public void onEventsLost(final long lostEvents)
        {
            lost.add(lostEvents);
        }

        @Override
        public int doWork()
        {
            dutyCycles++;
            return 0;
        }

        @Override
        public void onClose()
        {
            closed = true;
        }

        @Override
        public String roleName()
        {
            return "recording";
        }
    }
}
