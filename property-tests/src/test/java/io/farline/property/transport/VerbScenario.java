package io.farline.property.transport;

import io.farline.property.harness.Property;
import io.farline.transport.AccessFlags;
import io.farline.transport.CompletionQueue;
import io.farline.transport.CompletionStatus;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;
import io.farline.transport.QueuePair;
import io.farline.transport.RegionHandle;
import io.farline.transport.RegisteredRegion;
import io.farline.transport.RemoteRegion;
import io.farline.transport.TestFabric;
import io.farline.transport.Verb;
import io.farline.transport.VerbCounters;
import io.farline.transport.VerbException;
import io.farline.transport.control.ControlFile;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The verbs property's body: on a fresh pair of nodes (a target that registers every {@link RegionSpec} and an
 * issuer with one queue pair to it), runs the actions one by one and checks each against the {@link VerbModel}:
 * the status of every completion or exception, the data of every READ, the old value of every atomic, the region
 * memory whenever no posted verb is outstanding, and the issuer's per-verb counters at the end.
 */
final class VerbScenario implements Property<VerbAction>
{
    private static final int SLOTS = VerbActions.COMPLETION_QUEUE_CAPACITY;
    private static final int SLOT_BYTES = VerbActions.MAX_LENGTH;
    private static final int BLOCKING_SLOT = SLOTS;
    private static final byte UNREAD = (byte)0xA5;

    private final TestFabric fabric;
    /** Slot i holds the source or destination of the posted verb i (mod SLOTS); the last slot is for blocking. */
    private final UnsafeBuffer local = new UnsafeBuffer(ByteBuffer.allocateDirect(SLOT_BYTES * (SLOTS + 1)));

    VerbScenario(final TestFabric fabric)
    {
        this.fabric = fabric;
    }

    @Override
    public void check(final List<VerbAction> actions)
    {
        try (Node target = fabric.launch(nodeConfig()); Node issuer = fabric.launch(nodeConfig()))
        {
            new Run(target, issuer).execute(actions);
        }
    }

    private static NodeConfig nodeConfig()
    {
        // No conductor thread: liveness is judged once at connect, so a GC pause cannot make the peer "dead".
        return new NodeConfig().conductorThread(false).inboxCapacityBytes(4096).counterCount(64);
    }

    static byte[] data(final long seed, final int length)
    {
        final byte[] data = new byte[Math.max(0, length)];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }

    /** A posted verb not yet polled: what its completion must say. */
    private record Expected(long wrId, String action, Verb verb, int status, long result, int readAt, byte[] data)
    {
    }

    /**
     * A verb to issue and what the model predicts for it. {@code stage} fills the local slot (source data, or a
     * marker where a READ lands) and runs only when the verb will really be issued: a post refused as QUEUE_FULL
     * must not touch a slot that an outstanding verb still owns.
     */
    private record Request(Verb verb, VerbAction.Mode mode, int status, long result, long bytes, String[] reasons,
        Runnable stage, LongSupplier blocking, IntSupplier post, Runnable effect, int readAt, byte[] readData)
    {
    }

    private final class Run
    {
        private final Node issuer;
        private final List<RegisteredRegion> regions = new ArrayList<>();
        private final List<RemoteRegion> remotes = new ArrayList<>();
        private final List<RemoteRegion> forged = new ArrayList<>();
        private final QueuePair queuePair;
        private final VerbModel model = new VerbModel(RegionSpec.TABLE);
        private final ArrayDeque<Expected> outstanding = new ArrayDeque<>();
        private final List<long[]> polled = new ArrayList<>();
        private long posts;
        private int step;
        private VerbAction action;

        Run(final Node target, final Node issuer)
        {
            this.issuer = issuer;
            for (final RegionSpec spec : RegionSpec.TABLE)
            {
                regions.add(target.registerRegion(spec.lengthBytes(), spec.accessFlags()));
            }
            queuePair = issuer.connect(target.nodeId(), new CompletionQueue(SLOTS));
            for (final RegisteredRegion region : regions)
            {
                final RegionHandle handle = region.handle();
                remotes.add(queuePair.attach(handle));
                forged.add(queuePair.attach(
                    new RegionHandle(handle.nodeId(), handle.regionId(), ~handle.rkey(), handle.lengthBytes())));
            }
        }

        void execute(final List<VerbAction> actions)
        {
            for (step = 0; step < actions.size(); step++)
            {
                action = actions.get(step);
                if (action instanceof VerbAction.Read read)
                {
                    read(read);
                }
                else if (action instanceof VerbAction.Write write)
                {
                    write(write);
                }
                else if (action instanceof VerbAction.CompareAndSwap cas)
                {
                    compareAndSwap(cas);
                }
                else if (action instanceof VerbAction.FetchAndAdd faa)
                {
                    fetchAndAdd(faa);
                }
                else if (action instanceof VerbAction.LocalWrite localWrite)
                {
                    localWrite(localWrite);
                }
                else
                {
                    poll(((VerbAction.Poll)action).limit());
                }
                if (outstanding.isEmpty())
                {
                    assertMemoryAgrees();
                }
            }
            action = null;
            poll(Integer.MAX_VALUE);
            assertMemoryAgrees();
            assertCountersAgree();
        }

        private void read(final VerbAction.Read read)
        {
            final RemoteRegion remote = remote(read.region(), read.wrongKey());
            final int status = model.status(read.region(), Verb.READ, read.offset(), read.length(), read.wrongKey());
            final int at = slotOffset(read.mode());
            final long wrId = step;
            final byte[] truth =
                status == CompletionStatus.SUCCESS ? model.read(read.region(), read.offset(), read.length()) : null;
            issue(new Request(Verb.READ, read.mode(), status, read.length(), read.length(),
                model.reasonWords(read.region(), Verb.READ, read.offset(), read.length(), read.wrongKey()),
                () -> local.setMemory(at, Math.max(0, read.length()), UNREAD),
                () ->
                {
                    queuePair.read(local, at, read.length(), remote, read.offset());
                    return read.length();
                },
                () -> queuePair.postRead(wrId, local, at, read.length(), remote, read.offset()),
                () -> { },
                at, truth));
        }

        private void write(final VerbAction.Write write)
        {
            final RemoteRegion remote = remote(write.region(), write.wrongKey());
            final int status =
                model.status(write.region(), Verb.WRITE, write.offset(), write.length(), write.wrongKey());
            final int at = slotOffset(write.mode());
            final long wrId = step;
            final byte[] data = data(write.dataSeed(), write.length());
            issue(new Request(Verb.WRITE, write.mode(), status, write.length(), write.length(),
                model.reasonWords(write.region(), Verb.WRITE, write.offset(), write.length(), write.wrongKey()),
                () -> local.putBytes(at, data),
                () ->
                {
                    queuePair.write(local, at, write.length(), remote, write.offset());
                    return write.length();
                },
                () -> queuePair.postWrite(wrId, local, at, write.length(), remote, write.offset()),
                () -> model.write(write.region(), write.offset(), data),
                at, null));
        }

        private void compareAndSwap(final VerbAction.CompareAndSwap cas)
        {
            final RemoteRegion remote = remote(cas.region(), cas.wrongKey());
            final int status =
                model.status(cas.region(), Verb.COMPARE_AND_SWAP, cas.offset(), Long.BYTES, cas.wrongKey());
            final boolean success = status == CompletionStatus.SUCCESS;
            final long old = success ? model.word(cas.region(), cas.offset()) : 0;
            final long expected = cas.expectCurrent() && success ? old : cas.expected();
            final long wrId = step;
            issue(new Request(Verb.COMPARE_AND_SWAP, cas.mode(), status, old, Long.BYTES,
                model.reasonWords(cas.region(), Verb.COMPARE_AND_SWAP, cas.offset(), Long.BYTES, cas.wrongKey()),
                () -> { },
                () -> queuePair.compareAndSwap(remote, cas.offset(), expected, cas.desired()),
                () -> queuePair.postCompareAndSwap(wrId, remote, cas.offset(), expected, cas.desired()),
                () ->
                {
                    if (old == expected)
                    {
                        model.putWord(cas.region(), cas.offset(), cas.desired());
                    }
                },
                -1, null));
        }

        private void fetchAndAdd(final VerbAction.FetchAndAdd faa)
        {
            final RemoteRegion remote = remote(faa.region(), faa.wrongKey());
            final int status =
                model.status(faa.region(), Verb.FETCH_AND_ADD, faa.offset(), Long.BYTES, faa.wrongKey());
            final long old = status == CompletionStatus.SUCCESS ? model.word(faa.region(), faa.offset()) : 0;
            final long wrId = step;
            issue(new Request(Verb.FETCH_AND_ADD, faa.mode(), status, old, Long.BYTES,
                model.reasonWords(faa.region(), Verb.FETCH_AND_ADD, faa.offset(), Long.BYTES, faa.wrongKey()),
                () -> { },
                () -> queuePair.fetchAndAdd(remote, faa.offset(), faa.delta()),
                () -> queuePair.postFetchAndAdd(wrId, remote, faa.offset(), faa.delta()),
                () -> model.putWord(faa.region(), faa.offset(), old + faa.delta()),
                -1, null));
        }

        private void issue(final Request request)
        {
            final boolean localRangeError = request.bytes() < 0;
            final boolean queueFull = request.mode() == VerbAction.Mode.POSTED && outstanding.size() == SLOTS;
            if (queueFull)
            {
                // Refused before anything happens; with a negative length either refusal is documented.
                try
                {
                    assertEquals(QueuePair.QUEUE_FULL, request.post().getAsInt(), where("post on a full queue"));
                }
                catch (final IndexOutOfBoundsException ex)
                {
                    assertTrue(localRangeError, where("unexpected " + ex));
                }
                return;
            }
            request.stage().run();
            if (localRangeError)
            {
                if (request.mode() == VerbAction.Mode.BLOCKING)
                {
                    assertThrows(IndexOutOfBoundsException.class, request.blocking()::getAsLong,
                        where("a negative length is a local range error"));
                }
                else
                {
                    assertThrows(IndexOutOfBoundsException.class, request.post()::getAsInt,
                        where("a negative length is a local range error"));
                }
                return;
            }
            final boolean success = request.status() == CompletionStatus.SUCCESS;
            if (request.mode() == VerbAction.Mode.BLOCKING)
            {
                if (success)
                {
                    assertEquals(request.result(), request.blocking().getAsLong(), where("result"));
                    request.effect().run();
                    if (null != request.readData())
                    {
                        assertLocalBytes(request.readAt(), request.readData(), "READ data");
                    }
                }
                else
                {
                    final VerbException ex = assertThrows(VerbException.class, request.blocking()::getAsLong,
                        where("expected " + CompletionStatus.name(request.status())));
                    assertEquals(CompletionStatus.name(request.status()), CompletionStatus.name(ex.status()),
                        where("status of the VerbException " + ex.getMessage()));
                    assertTrue(Arrays.stream(request.reasons()).anyMatch(ex.getMessage()::contains),
                        where("message should name one of " + Arrays.toString(request.reasons()) + ": " +
                        ex.getMessage()));
                }
            }
            else
            {
                assertEquals(QueuePair.OK, request.post().getAsInt(), where("post"));
                posts++;
                if (success)
                {
                    request.effect().run();
                }
                outstanding.add(new Expected(step, action.toString(), request.verb(), request.status(),
                    success ? request.result() : 0, request.readAt(), success ? request.readData() : null));
            }
            model.count(request.verb(), request.status(), request.bytes());
        }

        private void localWrite(final VerbAction.LocalWrite write)
        {
            poll(Integer.MAX_VALUE);
            final RegionSpec spec = RegionSpec.of(write.region());
            final RegisteredRegion region = regions.get(write.region());
            final byte[] data = data(write.dataSeed(), write.length());
            if (!spec.allows(AccessFlags.LOCAL_WRITE))
            {
                assertThrows(IllegalStateException.class, region::buffer, where("buffer() without LOCAL_WRITE"));
                return;
            }
            final AtomicBuffer buffer = region.buffer();
            final boolean inRange = write.offset() >= 0 && write.length() >= 0 &&
                write.offset() <= spec.lengthBytes() && write.length() <= spec.lengthBytes() - write.offset();
            if (!inRange)
            {
                assertThrows(IndexOutOfBoundsException.class,
                    () -> buffer.putBytes(write.offset(), data, 0, write.length()), where("local write out of range"));
                return;
            }
            buffer.putBytes(write.offset(), data, 0, write.length());
            model.write(write.region(), write.offset(), data);
        }

        private void poll(final int limit)
        {
            final int expectedCount = Math.min(limit, outstanding.size());
            polled.clear();
            final int count = queuePair.completionQueue().poll((wrId, verb, status, result) ->
                polled.add(new long[]{ wrId, verb.ordinal(), status, result }), limit);
            assertEquals(expectedCount, count, where("completions polled"));
            assertEquals(count, polled.size(), where("completions handed to the handler"));
            for (final long[] completion : polled)
            {
                final Expected expected = outstanding.poll();
                assertNotNull(expected, where("a completion nothing was posted for: " + Arrays.toString(completion)));
                final String of = "completion of step " + (expected.wrId() + 1) + " " + expected.action();
                assertEquals(expected.wrId(), completion[0], where("wrId of the " + of));
                assertEquals(expected.verb(), Verb.get((int)completion[1]), where("verb of the " + of));
                assertEquals(CompletionStatus.name(expected.status()), CompletionStatus.name((int)completion[2]),
                    where("status of the " + of));
                assertEquals(expected.result(), completion[3], where("result of the " + of));
                if (null != expected.data())
                {
                    assertLocalBytes(expected.readAt(), expected.data(), "data of the " + of);
                }
            }
        }

        private void assertMemoryAgrees()
        {
            for (int i = 0; i < regions.size(); i++)
            {
                final byte[] truth = model.memory(i);
                final byte[] actual = new byte[truth.length];
                regions.get(i).readOnlyBuffer().getBytes(0, actual);
                final int mismatch = Arrays.mismatch(truth, actual);
                if (mismatch >= 0)
                {
                    fail(where(RegionSpec.describe(i) + " differs from the model at byte " + mismatch + ": model " +
                        truth[mismatch] + ", region " + actual[mismatch]));
                }
            }
        }

        private void assertCountersAgree()
        {
            final ControlFile controlFile =
                ControlFile.attach(fabric.fabric().controlFile(issuer.nodeId()), issuer.nodeId(), 0);
            final long[][] totals = VerbCounters.totals(
                new CountersReader(controlFile.countersMetadataBuffer(), controlFile.countersValuesBuffer()));
            final String[] kinds = { "ops", "bytes", "errors" };
            for (final Verb verb : new Verb[]{ Verb.READ, Verb.WRITE, Verb.COMPARE_AND_SWAP, Verb.FETCH_AND_ADD })
            {
                for (int kind = VerbCounters.OPS; kind <= VerbCounters.ERRORS; kind++)
                {
                    assertEquals(model.counters()[verb.ordinal()][kind], totals[verb.ordinal()][kind],
                        where("issuer's " + verb + " " + kinds[kind] + " counter"));
                }
            }
        }

        private void assertLocalBytes(final int at, final byte[] expected, final String what)
        {
            final byte[] actual = new byte[expected.length];
            local.getBytes(at, actual);
            final int mismatch = Arrays.mismatch(expected, actual);
            if (mismatch >= 0)
            {
                fail(where(what + " differs from the model at byte " + mismatch + " of " + expected.length +
                    ": model " + expected[mismatch] + ", read " + actual[mismatch]));
            }
        }

        private RemoteRegion remote(final int region, final boolean wrongKey)
        {
            return wrongKey ? forged.get(region) : remotes.get(region);
        }

        private int slotOffset(final VerbAction.Mode mode)
        {
            // A posted verb takes the slot of the next accepted post; at most SLOTS are outstanding, so a slot is
            // never reused before its verb has been polled.
            return (mode == VerbAction.Mode.BLOCKING ? BLOCKING_SLOT : (int)(posts % SLOTS)) * SLOT_BYTES;
        }

        private String where(final String what)
        {
            return (null == action ? "after the last action" : "step " + (step + 1) + " " + action) + ": " + what;
        }
    }
}
