package io.farline.property.tracking;

import io.farline.core.internal.ProcessWideBarrier;
import io.farline.core.tracking.DirtyBitmap;
import io.farline.core.tracking.TrackedBuffer;
import io.farline.core.tracking.TrackedMemory;
import io.farline.core.tracking.TrackingGeometry;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.ZJZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * jcstress scenarios for {@link DirtyBitmap}'s ordering contract: a writer stores data with plain stores and then
 * marks (a plain load of the word, an atomic OR only when its bit is clean); a drainer takes the word with an atomic
 * swap to zero, runs {@link ProcessWideBarrier#run()}, then reads the data. No dirty unit may be lost: for every
 * store, the drain that took its bit reads the new value, or the bit is set again after that take.
 * <p>
 * Each scenario owns a tiny {@link TrackedMemory} (one or two 64-byte units, one bitmap word), so the drainer's
 * {@link DirtyBitmap#takeWord} sees only the scenario's bits. Run by {@code DirtyBitmapJcstressTest} twice: with the
 * membarrier barrier, and with {@code -Dfarline.membarrier=false} (writers fence instead). jcstress gives each actor
 * its own CPU, so the three-actor scenario runs only on machines with three or more; the two-actor scenarios after it
 * cover its races pairwise.
 */
public final class DirtyBitmapJcstressTests
{
    static final int UNIT = TrackingGeometry.LINE_SIZE_BYTES;

    private DirtyBitmapJcstressTests()
    {
    }

    /**
     * (a) The fast path against a drain: the unit's bit starts set and its data 0. The writer stores 1 through
     * {@link TrackedBuffer#putLong(int, long)}, whose mark sees the bit set and does no atomic, unless the drain
     * already cleared it. This is the store-buffer litmus test the drainer's barrier exists for.
     * <p>
     * Result: (the drain took the bit, the value the drain read, the bit is set at the end).
     */
    @JCStressTest
    @Description("Fast path (bit already set, plain load, no atomic) against takeWord + ProcessWideBarrier.run()")
    @Outcome(id = "true, 1, false", expect = ACCEPTABLE,
        desc = "The drain took the bit and read the new value; the writer's mark saw the bit still set.")
    @Outcome(id = "true, 1, true", expect = ACCEPTABLE,
        desc = "The drain read the new value and the writer's mark also saw the cleared bit and set it again: " +
            "a redundant dirty unit, delivered again by the next drain.")
    @Outcome(id = "true, 0, true", expect = ACCEPTABLE,
        desc = "The drain took the bit before the store was visible; the writer's mark saw the cleared bit and " +
            "set it again, so the next drain delivers the store.")
    @Outcome(id = "true, 0, false", expect = FORBIDDEN,
        desc = "LOST STORE: the drain took the bit but read the old value, and the bit is clear at the end.")
    @Outcome(id = "false, .*", expect = FORBIDDEN,
        desc = "The bit started set and only the drain clears it, so the drain must take it.")
    @Outcome(expect = FORBIDDEN, desc = "Impossible: the writer stores only 1 and the data starts at 0.")
    @State
    public static class FastPathVersusDrain
    {
        static
        {
            BarrierModeCheck.verify();
        }

        private final TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(UNIT, UNIT, UNIT));
        private final TrackedBuffer buffer = memory.buffer();
        private final DirtyBitmap bitmap = memory.dirtyBitmap();

        public FastPathVersusDrain()
        {
            bitmap.markUnit(0);
        }

        @Actor
        public void writer()
        {
            buffer.putLong(0, 1L);
        }

        @Actor
        public void drainer(final ZJZ_Result r)
        {
            final long bits = bitmap.takeWord(0);
            ProcessWideBarrier.run();
            r.r1 = 0 != (bits & 1L);
            r.r2 = buffer.getLong(0);
        }

        @Arbiter
        public void arbiter(final ZJZ_Result r)
        {
            r.r3 = 0 != (bitmap.wordVolatile(0) & 1L);
        }
    }

    /**
     * (b) Clean to dirty: two writers store into two different units of one bitmap word, both clean at the start,
     * so each mark is an atomic OR, while a drainer takes the word, runs the barrier and reads both units' data.
     * <p>
     * Result: (units the drain took, units still dirty at the end, units whose new value the drain read), each a
     * 2-bit set: 1 is the first unit, 2 the second. Every unit must be taken or remain dirty, never both (each is
     * marked once), and a taken unit's new value must have been read.
     */
    @JCStressTest
    @Description("Two atomic-OR marks of clean units of one word against takeWord + ProcessWideBarrier.run()")
    @Outcome(id = "0, 3, [0-3]", expect = ACCEPTABLE,
        desc = "The drain took the word before either mark; both units stay dirty for the next drain (it may " +
            "already have read either new value).")
    @Outcome(id = "1, 2, [13]", expect = ACCEPTABLE,
        desc = "The drain took the first unit and read its new value; the second stays dirty.")
    @Outcome(id = "2, 1, [23]", expect = ACCEPTABLE,
        desc = "The drain took the second unit and read its new value; the first stays dirty.")
    @Outcome(id = "3, 0, 3", expect = ACCEPTABLE,
        desc = "The drain took both units after both marks and read both new values.")
    @Outcome(expect = FORBIDDEN,
        desc = "A LOST UNIT (neither taken nor dirty at the end), a unit taken while the drain read its old value, " +
            "or a unit both taken and still dirty although it was marked once.")
    @State
    public static class CleanToDirtyVersusDrain
    {
        static
        {
            BarrierModeCheck.verify();
        }

        private final TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(2 * UNIT, 2 * UNIT, UNIT));
        private final TrackedBuffer buffer = memory.buffer();
        private final DirtyBitmap bitmap = memory.dirtyBitmap();

        @Actor
        public void firstWriter()
        {
            buffer.putLong(0, 1L);
        }

        @Actor
        public void secondWriter()
        {
            buffer.putLong(UNIT, 1L);
        }

        @Actor
        public void drainer(final III_Result r)
        {
            final long bits = bitmap.takeWord(0);
            ProcessWideBarrier.run();
            r.r1 = (int)(bits & 3L);
            r.r3 = (int)(buffer.getLong(0) | (buffer.getLong(UNIT) << 1));
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r2 = (int)(bitmap.wordVolatile(0) & 3L);
        }
    }

    /**
     * (b), two actors: one writer marks a clean unit (an atomic OR) while a drainer takes the word, whose other unit
     * starts dirty, runs the barrier and reads the writer's unit. This is the OR-against-swap race of (b) on a machine
     * with too few CPUs for {@link CleanToDirtyVersusDrain}'s three actors.
     * <p>
     * Result: (units the drain took, units still dirty at the end, the value the drain read from the writer's unit),
     * unit sets as in {@link CleanToDirtyVersusDrain}: 1 is the writer's unit, 2 the neighbour that starts dirty.
     */
    @JCStressTest
    @Description("An atomic-OR mark of a clean unit against takeWord + ProcessWideBarrier.run() of its word")
    @Outcome(id = "3, 0, 1", expect = ACCEPTABLE,
        desc = "The drain took the word after the mark, with the neighbour, and read the new value.")
    @Outcome(id = "2, 1, [01]", expect = ACCEPTABLE,
        desc = "The drain took only the neighbour; the writer's unit stays dirty for the next drain (the drain may " +
            "already have read the new value).")
    @Outcome(expect = FORBIDDEN,
        desc = "A LOST UNIT (the writer's bit neither taken nor dirty at the end), its unit taken while the drain " +
            "read the old value, the neighbour not taken, or a bit both taken and still dirty.")
    @State
    public static class CleanToDirtyVersusDrainOfDirtyNeighbour
    {
        static
        {
            BarrierModeCheck.verify();
        }

        private final TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(2 * UNIT, 2 * UNIT, UNIT));
        private final TrackedBuffer buffer = memory.buffer();
        private final DirtyBitmap bitmap = memory.dirtyBitmap();

        public CleanToDirtyVersusDrainOfDirtyNeighbour()
        {
            bitmap.markUnit(1);
        }

        @Actor
        public void writer()
        {
            buffer.putLong(0, 1L);
        }

        @Actor
        public void drainer(final III_Result r)
        {
            final long bits = bitmap.takeWord(0);
            ProcessWideBarrier.run();
            r.r1 = (int)(bits & 3L);
            r.r3 = (int)buffer.getLong(0);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r2 = (int)(bitmap.wordVolatile(0) & 3L);
        }
    }

    /**
     * (b), the marks alone: two writers mark two clean units of one word at once, both with an atomic OR. A plain
     * read-modify-write would lose one of the bits.
     * <p>
     * Result: the units dirty at the end, as a 2-bit set (1 the first writer's, 2 the second's).
     */
    @JCStressTest
    @Description("Two atomic-OR marks of clean units of one word, no drainer")
    @Outcome(id = "3", expect = ACCEPTABLE, desc = "Both units are dirty.")
    @Outcome(expect = FORBIDDEN, desc = "A LOST UNIT: one writer's OR overwrote the other's bit.")
    @State
    public static class ConcurrentCleanMarks
    {
        static
        {
            BarrierModeCheck.verify();
        }

        private final TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(2 * UNIT, 2 * UNIT, UNIT));
        private final TrackedBuffer buffer = memory.buffer();
        private final DirtyBitmap bitmap = memory.dirtyBitmap();

        @Actor
        public void firstWriter()
        {
            buffer.putLong(0, 1L);
        }

        @Actor
        public void secondWriter()
        {
            buffer.putLong(UNIT, 1L);
        }

        @Arbiter
        public void arbiter(final I_Result r)
        {
            r.r1 = (int)(bitmap.wordVolatile(0) & 3L);
        }
    }

    /**
     * Control for (a): the same race with the drainer's barrier left out, which the contract forbids. It shows
     * whether this machine and run length can produce the store-buffer reordering at all; with membarrier the lost
     * store is expected to show up here, now and then, and never in {@link FastPathVersusDrain}. With
     * {@code -Dfarline.membarrier=false} the writer fences, so it should not show up even here.
     * <p>
     * Result: as in {@link FastPathVersusDrain}.
     */
    @JCStressTest
    @Description("Control: fast path against takeWord WITHOUT the barrier (a contract violation by the drainer)")
    @Outcome(id = "true, 1, false", expect = ACCEPTABLE,
        desc = "The drain took the bit and read the new value; the writer's mark saw the bit still set.")
    @Outcome(id = "true, 1, true", expect = ACCEPTABLE,
        desc = "The drain read the new value and the writer also set the bit again: redundant, harmless.")
    @Outcome(id = "true, 0, true", expect = ACCEPTABLE,
        desc = "The drain took the bit before the store; the writer set it again.")
    @Outcome(id = "true, 0, false", expect = ACCEPTABLE_INTERESTING,
        desc = "Lost store, the store-buffer reordering the barrier exists for: a drain without the barrier can " +
            "read the old value while the writer's load still sees the bit set.")
    @Outcome(expect = FORBIDDEN, desc = "Impossible: the bit started set and only the drain clears it.")
    @State
    public static class DrainWithoutBarrierControl
    {
        static
        {
            BarrierModeCheck.verify();
        }

        private final TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(UNIT, UNIT, UNIT));
        private final TrackedBuffer buffer = memory.buffer();
        private final DirtyBitmap bitmap = memory.dirtyBitmap();

        public DrainWithoutBarrierControl()
        {
            bitmap.markUnit(0);
        }

        @Actor
        public void writer()
        {
            buffer.putLong(0, 1L);
        }

        @Actor
        public void drainer(final ZJZ_Result r)
        {
            final long bits = bitmap.takeWord(0);
            r.r1 = 0 != (bits & 1L);
            r.r2 = buffer.getLong(0);
        }

        @Arbiter
        public void arbiter(final ZJZ_Result r)
        {
            r.r3 = 0 != (bitmap.wordVolatile(0) & 1L);
        }
    }
}
