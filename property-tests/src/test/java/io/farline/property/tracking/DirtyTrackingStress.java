package io.farline.property.tracking;

import io.farline.core.tracking.DirtyBitmap;
import io.farline.core.tracking.DirtyBitmapDescriptor;
import io.farline.core.tracking.DirtyDrainer;
import io.farline.core.tracking.DirtyRuns;
import io.farline.core.tracking.TrackedBuffer;
import io.farline.core.tracking.TrackedMemory;
import io.farline.core.tracking.TrackingGeometry;
import io.farline.property.harness.Seeds;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A timed stress run of dirty tracking against a model: two writer threads store increasing values through a
 * {@link TrackedBuffer} into random 8-byte slots of 1 MiB of {@link TrackedMemory} (64-byte units), each writer in
 * its own slots but every line shared by both, while a drainer thread drains over and over and copies every delivered
 * run into a shadow array. The run is cut into rounds of random length, each writing a random choice of lines (from
 * all of them down to 1 in 64); at the end of a round the writers stop, one final drain runs, and then:
 * <ul>
 *     <li>the shadow must equal the tracked memory byte for byte: a lost dirty unit leaves a stale line;</li>
 *     <li>every line delivered during the round must be one a writer wrote during the round;</li>
 *     <li>the bitmap must be clean.</li>
 * </ul>
 * The drainer is either the one under test ({@link DrainKind#CONTRACT}) or a deliberately broken one for the
 * negative controls. Thread timing makes a replay approximate: the seed fixes the slots, values, round lengths and
 * line choices, not the interleaving.
 */
final class DirtyTrackingStress
{
    static final int LENGTH_BYTES = 1 << 20;
    static final int LINE_BYTES = TrackingGeometry.LINE_SIZE_BYTES;
    static final int LINES = LENGTH_BYTES / LINE_BYTES;
    static final int SLOT_BYTES = Long.BYTES;
    static final int WRITERS = 2;
    /** Writer w owns slots w, w + 2, w + 4, ... of every line: 4 slots of each writer per line. */
    static final int SLOTS_PER_LINE_PER_WRITER = LINE_BYTES / SLOT_BYTES / WRITERS;
    /**
     * A round writes a random choice of {@code LINES >>> k} lines, k drawn from 0..this, so that most rounds leave
     * most lines unwritten and a delivery of an unwritten line can be seen.
     */
    static final int MAX_SPARSITY_SHIFT = 6;
    /** Small on purpose: drains often fill it, stop early and hand the rest back (DirtyBitmap.restoreBits). */
    static final int RUN_CAPACITY = 48;
    /** One timed round, then sweep rounds, which take a millisecond or two each. */
    static final int ROUNDS_PER_TIMED_ROUND = 64;
    static final int MIN_ROUND_MILLIS = 10;
    static final int MAX_ROUND_MILLIS = 120;
    /** Stores between two reads of the stop flag. */
    private static final int STORES_PER_CHECK = 64;

    /** How the drainer thread collects dirty lines. */
    enum DrainKind
    {
        /** DirtyDrainer: takeWord (atomic swap), then ProcessWideBarrier.run(), then read; the code under test. */
        CONTRACT,
        /** Broken: reads each word and copies the data first, then clears the word with a plain store; no barrier. */
        READ_THEN_CLEAR,
        /** Broken the other way: a contract drain that also delivers the line after each run, written or not. */
        OVER_DELIVERING,
        /**
         * Subtly broken: takes each word with the atomic swap but skips {@code ProcessWideBarrier.run()}, the
         * store-buffer race the barrier exists for. Only broken when the barrier is available (otherwise writers
         * fence), and the loss is rare: seconds of sweep rounds, not milliseconds.
         */
        SWAP_WITHOUT_BARRIER
    }

    private final long seed;
    private final DrainKind kind;
    private final TrackedBuffer buffer;
    private final DirtyBitmap bitmap;
    private final DirtyDrainer drainer;
    private final DirtyRuns runs = new DirtyRuns(RUN_CAPACITY);
    private final byte[] shadow = new byte[LENGTH_BYTES];
    private final UnsafeBuffer shadowView = new UnsafeBuffer(shadow);
    private final int[] lineOrder = new int[LINES];
    private final byte[] actual = new byte[LENGTH_BYTES];
    private final long[] delivered = new long[LINES / Long.SIZE];
    private final long[][] written = new long[WRITERS][LINES / Long.SIZE];
    private final long[] nextValue = new long[WRITERS];
    private final int[][] sweepOrder = new int[WRITERS][LINES * SLOTS_PER_LINE_PER_WRITER];

    private volatile boolean writersRunning;
    private volatile boolean drainerRunning;
    private long stores;
    private long drains;
    private long deliveredBytes;

    private DirtyTrackingStress(final long seed, final DrainKind kind, final TrackedMemory memory)
    {
        this.seed = seed;
        this.kind = kind;
        this.buffer = memory.buffer();
        this.bitmap = memory.dirtyBitmap();
        this.drainer = memory.drainer();
        for (int line = 0; line < LINES; line++)
        {
            lineOrder[line] = line;
        }
    }

    /**
     * Runs rounds until the duration has passed or a round fails.
     *
     * @param seed           fixes slots, values and round lengths.
     * @param durationMillis total time, at least one round.
     * @param kind           the drainer to use.
     * @return what happened; {@link Outcome#failure()} is null if every round passed.
     * @throws InterruptedException if interrupted while waiting for the threads.
     */
    static Outcome run(final long seed, final long durationMillis, final DrainKind kind) throws InterruptedException
    {
        try (TrackedMemory memory = TrackedMemory.allocate(TrackingGeometry.of(LENGTH_BYTES)))
        {
            return new DirtyTrackingStress(seed, kind, memory).run(durationMillis);
        }
    }

    private Outcome run(final long durationMillis) throws InterruptedException
    {
        final SplittableRandom rounds = new SplittableRandom(seed);
        final long start = System.nanoTime();
        final long deadline = start + TimeUnit.MILLISECONDS.toNanos(durationMillis);
        int round = 0;
        String failure = null;
        do
        {
            // A sweep round when roundMillis is 0: see runRound.
            final int roundMillis = 0 == round % ROUNDS_PER_TIMED_ROUND ?
                rounds.nextInt(MIN_ROUND_MILLIS, MAX_ROUND_MILLIS) : 0;
            final int activeLines = LINES >>> rounds.nextInt(MAX_SPARSITY_SHIFT + 1);
            chooseActiveLines(rounds, activeLines);
            failure = runRound(round, roundMillis, activeLines);
            round++;
        }
        while (null == failure && System.nanoTime() - deadline < 0);
        final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new Outcome(seed, kind, round, stores, drains, deliveredBytes, elapsedMillis, failure);
    }

    /**
     * Moves a random choice of {@code count} lines to the front of {@link #lineOrder} (a partial Fisher-Yates shuffle).
     */
    private void chooseActiveLines(final SplittableRandom random, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int j = random.nextInt(i, LINES);
            final int line = lineOrder[j];
            lineOrder[j] = lineOrder[i];
            lineOrder[i] = line;
        }
    }

    /**
     * One round. A timed round ({@code roundMillis > 0}) lets the writers store into random slots of the active lines,
     * over and over, until the time is up. A sweep round ({@code roundMillis == 0}) lets each writer store exactly
     * once into each of its slots of the active lines, in random order, and ends when both are done: of a line's 8
     * stores only the last one can be lost for good (a later store to the line marks it again), and a sweep makes
     * that last store happen while the drainer runs, in every line, every round.
     */
    private String runRound(final int round, final int roundMillis, final int activeLines)
        throws InterruptedException
    {
        for (final long[] lines : written)
        {
            Arrays.fill(lines, 0);
        }
        Arrays.fill(delivered, 0);

        final AtomicReference<Throwable> crash = new AtomicReference<>();
        final Thread[] writers = new Thread[WRITERS];
        final long[] storesByWriter = new long[WRITERS];
        writersRunning = true;
        drainerRunning = true;
        for (int w = 0; w < WRITERS; w++)
        {
            final int writer = w;
            final SplittableRandom random = new SplittableRandom(Seeds.derive(seed, 1 + round * WRITERS + w));
            writers[w] = thread("writer-" + w, crash, 0 == roundMillis ?
                () -> storesByWriter[writer] = sweep(writer, random, activeLines) :
                () -> storesByWriter[writer] = write(writer, random, activeLines));
        }
        final Thread drainerThread = thread("drainer", crash, this::drainUntilStopped);
        drainerThread.start();
        for (final Thread writer : writers)
        {
            writer.start();
        }

        if (roundMillis > 0)
        {
            Thread.sleep(roundMillis);
        }
        writersRunning = false;
        for (final Thread writer : writers)
        {
            writer.join();
        }
        drainerRunning = false;
        drainerThread.join();
        for (final long count : storesByWriter)
        {
            stores += count;
        }
        if (null != crash.get())
        {
            throw new AssertionError("round " + round + ": a thread failed", crash.get());
        }

        finalDrain();
        return check(round, roundMillis, activeLines);
    }

    private long write(final int writer, final SplittableRandom random, final int activeLines)
    {
        final TrackedBuffer buffer = this.buffer;
        final int[] lineOrder = this.lineOrder;
        final long[] lines = written[writer];
        long value = nextValue[writer];
        long count = 0;
        while (writersRunning)
        {
            for (int i = 0; i < STORES_PER_CHECK; i++)
            {
                final int line = lineOrder[random.nextInt(activeLines)];
                final int slotInLine = random.nextInt(SLOTS_PER_LINE_PER_WRITER) * WRITERS + writer;
                buffer.putLong(line * LINE_BYTES + slotInLine * SLOT_BYTES, ++value);
                lines[line >>> 6] |= 1L << line;
            }
            count += STORES_PER_CHECK;
        }
        nextValue[writer] = value;
        return count;
    }

    private long sweep(final int writer, final SplittableRandom random, final int activeLines)
    {
        final TrackedBuffer buffer = this.buffer;
        final int[] lineOrder = this.lineOrder;
        final int[] order = sweepOrder[writer];
        final long[] lines = written[writer];
        final int count = activeLines * SLOTS_PER_LINE_PER_WRITER;
        for (int i = 0; i < count; i++)
        {
            final int j = random.nextInt(i + 1);
            order[i] = order[j];
            order[j] = i;
        }
        long value = nextValue[writer];
        for (int i = 0; i < count; i++)
        {
            final int slot = order[i];
            final int line = lineOrder[slot / SLOTS_PER_LINE_PER_WRITER];
            final int slotInLine = (slot % SLOTS_PER_LINE_PER_WRITER) * WRITERS + writer;
            buffer.putLong(line * LINE_BYTES + slotInLine * SLOT_BYTES, ++value);
            lines[line >>> 6] |= 1L << line;
        }
        nextValue[writer] = value;
        return count;
    }

    private void drainUntilStopped()
    {
        while (drainerRunning)
        {
            if (0 == drainOnce())
            {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * After the writers stopped: drains until one pass has covered every word from the first, whatever the cursor.
     */
    private void finalDrain()
    {
        if (DrainKind.READ_THEN_CLEAR == kind || DrainKind.SWAP_WITHOUT_BARRIER == kind)
        {
            drainOnce(); // always a full pass
            return;
        }
        boolean passFromFirstWord = false;
        while (true)
        {
            passFromFirstWord |= 0 == drainer.nextWord();
            drainOnce();
            if (passFromFirstWord && runs.endsEpoch())
            {
                return;
            }
        }
    }

    /**
     * @return the number of bytes delivered.
     */
    private long drainOnce()
    {
        drains++;
        if (DrainKind.READ_THEN_CLEAR == kind)
        {
            return readThenClear();
        }
        if (DrainKind.SWAP_WITHOUT_BARRIER == kind)
        {
            return swapWithoutBarrier();
        }
        drainer.drain(runs);
        long bytes = 0;
        for (int i = 0, count = runs.count(); i < count; i++)
        {
            final int offset = runs.offsetBytes(i);
            final int length = runs.lengthBytes(i);
            deliver(offset, length);
            bytes += length;
            if (DrainKind.OVER_DELIVERING == kind && offset + length < LENGTH_BYTES)
            {
                deliver(offset + length, LINE_BYTES);
                bytes += LINE_BYTES;
            }
        }
        return bytes;
    }

    /**
     * The broken drain: copies the data of every dirty line of a word while the bit is still set, and only then
     * clears the word with a plain store, no swap and no barrier. A mark made in between is wiped out.
     */
    private long readThenClear()
    {
        long bytes = 0;
        for (int word = 0, words = bitmap.wordCount(); word < words; word++)
        {
            final long bits = bitmap.wordVolatile(word);
            if (0 != bits)
            {
                bytes += deliverUnits(word, bits);
                bitmap.memory().putLongVolatile(DirtyBitmapDescriptor.DIRTY_WORDS_OFFSET + word * Long.BYTES, 0L);
            }
        }
        return bytes;
    }

    /**
     * The subtly broken drain: takes each word with the atomic swap, as the contract says, then reads the data of its
     * units without running the barrier first.
     */
    private long swapWithoutBarrier()
    {
        long bytes = 0;
        for (int word = 0, words = bitmap.wordCount(); word < words; word++)
        {
            bytes += deliverUnits(word, bitmap.takeWord(word));
        }
        return bytes;
    }

    private long deliverUnits(final int word, final long units)
    {
        long bits = units;
        long bytes = 0;
        while (0 != bits)
        {
            final int unit = (word << 6) + Long.numberOfTrailingZeros(bits);
            deliver(unit * LINE_BYTES, LINE_BYTES);
            bytes += LINE_BYTES;
            bits &= bits - 1;
        }
        return bytes;
    }

    private void deliver(final int offset, final int length)
    {
        buffer.getBytes(offset, shadow, offset, length);
        for (int line = offset / LINE_BYTES, end = (offset + length) / LINE_BYTES; line < end; line++)
        {
            delivered[line >>> 6] |= 1L << line;
        }
        deliveredBytes += length;
    }

    private String check(final int round, final int roundMillis, final int activeLines)
    {
        final String where = "round " + round + " (" + (0 == roundMillis ? "sweep" : roundMillis + " ms") + ", " +
            activeLines + " active lines)";
        buffer.getBytes(0, actual);
        if (-1 != Arrays.mismatch(actual, shadow))
        {
            return where + ": LOST DIRTY UNITS, the shadow differs from the tracked memory after the final drain: " +
                describeMismatch();
        }
        for (int i = 0; i < delivered.length; i++)
        {
            long writtenByAny = 0;
            for (final long[] lines : written)
            {
                writtenByAny |= lines[i];
            }
            final long extra = delivered[i] & ~writtenByAny;
            if (0 != extra)
            {
                final int line = i * Long.SIZE + Long.numberOfTrailingZeros(extra);
                return where + ": line " + line + " (offset " + line * LINE_BYTES + ") was delivered but no writer " +
                    "wrote it; " + Long.bitCount(extra) + " such lines among lines " + i * Long.SIZE + ".." +
                    (i * Long.SIZE + Long.SIZE - 1);
            }
        }
        for (int word = 0; word < bitmap.wordCount(); word++)
        {
            if (0 != bitmap.wordVolatile(word))
            {
                return where + ": bitmap word " + word + " is " + Long.toHexString(bitmap.wordVolatile(word)) +
                    " after the final drain, expected clean";
            }
        }
        return null;
    }

    private String describeMismatch()
    {
        int lines = 0;
        final StringBuilder first = new StringBuilder();
        for (int line = 0; line < LINES; line++)
        {
            final int from = line * LINE_BYTES;
            if (Arrays.equals(actual, from, from + LINE_BYTES, shadow, from, from + LINE_BYTES))
            {
                continue;
            }
            lines++;
            if (lines <= 3)
            {
                for (int offset = from; offset < from + LINE_BYTES; offset += SLOT_BYTES)
                {
                    final long memoryValue = buffer.getLong(offset);
                    final long shadowValue = shadowView.getLong(offset);
                    if (memoryValue != shadowValue)
                    {
                        first.append(String.format(Locale.ROOT,
                            "%n  line %d, slot at offset %d (writer %d): memory %d, shadow %d, bit %s",
                            line, offset, (offset / SLOT_BYTES) % WRITERS, memoryValue, shadowValue,
                            bitmap.isUnitDirty(line) ? "set" : "clear"));
                    }
                }
            }
        }
        return lines + " stale lines; first:" + first;
    }

    private static Thread thread(final String name, final AtomicReference<Throwable> crash, final Runnable body)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                body.run();
            }
            catch (final Throwable ex)
            {
                crash.compareAndSet(null, ex);
            }
        }, "stress-" + name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Runs the stress in this JVM and exits 0 if every round passed, 1 if not: how a test runs it in a child JVM with
     * other flags (-Dfarline.membarrier=false).
     *
     * @param args the seed, the duration in milliseconds, and the drain kind.
     * @throws InterruptedException if interrupted.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        BarrierModeCheck.verify();
        final Outcome outcome = run(Seeds.parse(args[0]), Long.parseLong(args[1]), DrainKind.valueOf(args[2]));
        System.out.println(outcome.report());
        System.out.flush();
        System.exit(outcome.passed() ? 0 : 1);
    }

    /** What a run did and, if a round failed, why. */
    static final class Outcome
    {
        private final long seed;
        private final DrainKind kind;
        private final int rounds;
        private final long stores;
        private final long drains;
        private final long deliveredBytes;
        private final long elapsedMillis;
        private final String failure;

        Outcome(final long seed, final DrainKind kind, final int rounds, final long stores, final long drains,
            final long deliveredBytes, final long elapsedMillis, final String failure)
        {
            this.seed = seed;
            this.kind = kind;
            this.rounds = rounds;
            this.stores = stores;
            this.drains = drains;
            this.deliveredBytes = deliveredBytes;
            this.elapsedMillis = elapsedMillis;
            this.failure = failure;
        }

        boolean passed()
        {
            return null == failure;
        }

        String failure()
        {
            return failure;
        }

        String report()
        {
            final String summary = String.format(Locale.ROOT, "dirty-tracking stress, %s drain, %s: %d rounds in " +
                "%d ms, %d stores, %d drains, %d bytes delivered; seed %d (replay: %s, approximate: thread timing " +
                "is not replayed)",
                kind, BarrierModeCheck.describe(), rounds, elapsedMillis, stores, drains, deliveredBytes, seed,
                Seeds.replayFlag(seed));
            return passed() ? "PASSED " + summary : "FAILED " + summary + "\n" + failure;
        }
    }
}
