package io.farline.bench;

import io.farline.core.far.FarMemory;
import io.farline.core.far.FarMemoryConfig;
import io.farline.core.far.Redundancy;
import io.farline.core.pool.Chunk;
import io.farline.transport.LinkModel;
import io.farline.transport.PeerState;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The resilience trial, run by the runner in a child JVM: a compute node of the suite's {@link FarMemoryCluster}
 * with far memory under XOR 3+1 parity, for {@link #ROUNDS} rounds of: random updates (parity traffic counted),
 * misses served normally (timed), one memory host killed with SIGKILL, misses on its pages served degraded (timed),
 * and the rebuild of everything it held (timed). The runner does the killing: this process prints
 * {@code KILL <node id>} and waits for {@code KILLED} on its standard input. Each round prints a
 * {@link ResilienceRound} line; then an {@link #OVERHEAD} line compares the memory borrowed under parity and under
 * two replicas; then {@link #DONE}.
 */
public final class ResilienceTrialMain
{
    /** The name of the step, for {@code --include}. */
    static final String STEP_NAME = ResilienceTrialMain.class.getName() + ".trial";
    /** The line printed when the trial is done. */
    static final String DONE = "DONE";
    /** What the line asking the runner to kill a host starts with. */
    static final String KILL = "KILL";
    /** What the runner answers once the host is gone. */
    static final String KILLED = "KILLED";
    /** What the memory overhead line starts with. */
    static final String OVERHEAD = "OVERHEAD";

    /** Rounds, one host killed in each: the cluster needs 4 hosts for a stripe and 1 spare left after the last. */
    static final int ROUNDS = 3;
    /** Memory hosts the suite's cluster needs. */
    static final int HOSTS = 4 + ROUNDS;
    /** Memory each host donates. */
    static final long DONATE_BYTES_PER_HOST = 48L << 20;
    /** Address space: 8 stripe groups of 3 data chunks. */
    static final long ADDRESS_SPACE_BYTES = 24L << 20;
    /** Local cache: a sixth of the address space. */
    static final long LOCAL_CACHE_BYTES = 4L << 20;
    /** Random putLong updates per round. */
    static final int UPDATES = 200_000;
    /** Updates between two flushes. */
    static final int FLUSH_PERIOD_OPERATIONS = 16_384;
    /** Misses timed per round, normal and degraded each. */
    static final int READ_SAMPLES = 100;

    private static final int PAGE = FarMemory.PAGE_SIZE_BYTES;
    private static final long DEATH_TIMEOUT_MS = 10_000;
    private static final long REBUILD_TIMEOUT_NS = 120_000_000_000L;

    private ResilienceTrialMain()
    {
    }

    /**
     * Runs the trial.
     *
     * @param args none.
     */
    public static void main(final String[] args)
    {
        FarlineChildMain.exitWhenParentDies();
        int status = 0;
        final BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (FarMemoryTrial trial = FarMemoryTrial.start(LinkModel.NONE))
        {
            final FarMemoryConfig config = FarMemoryTrial.config(ADDRESS_SPACE_BYTES, LOCAL_CACHE_BYTES)
                .writeBackIntervalMs(0).prefetchDepth(0).redundancy(Redundancy.xor(3));
            final FarMemory memory = trial.open(config);
            final SplittableRandom random = new SplittableRandom(FarMemoryWorkloads.SEED);
            for (int round = 0; round < ROUNDS; round++)
            {
                System.out.println(round(trial, memory, random, round, commands).format());
                System.out.flush();
            }
            final double parity = overhead(memory.chunks(), ADDRESS_SPACE_BYTES);
            final double replicas;
            try (FarMemory copies = trial.open(FarMemoryTrial.config(8L << 20, 1L << 20)
                .redundancy(Redundancy.replicas())))
            {
                replicas = overhead(copies.chunks(), copies.sizeBytes());
            }
            System.out.println(OVERHEAD + " xor=" + parity + " replicas=" + replicas);
            System.out.println(DONE);
        }
        catch (final RuntimeException | Error ex)
        {
            ex.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    private static ResilienceRound round(final FarMemoryTrial trial, final FarMemory memory,
        final SplittableRandom random, final int round, final BufferedReader commands)
    {
        final long lineBytes = memory.parityUpdateBytes();
        final long pageBytes = memory.pageParityUpdateBytes();
        for (int op = 1; op <= UPDATES; op++)
        {
            memory.putLong(random.nextLong(ADDRESS_SPACE_BYTES / Long.BYTES) * Long.BYTES, op);
            if (op % FLUSH_PERIOD_OPERATIONS == 0)
            {
                memory.flush();
            }
        }
        memory.flush();
        final long lineParityBytes = memory.parityUpdateBytes() - lineBytes;
        final long pageParityBytes = memory.pageParityUpdateBytes() - pageBytes;

        final long[] normal = new long[READ_SAMPLES];
        int normalCount = 0;
        while (normalCount < READ_SAMPLES)
        {
            final long page = random.nextLong(ADDRESS_SPACE_BYTES / PAGE);
            final long misses = memory.misses();
            final long startNs = System.nanoTime();
            memory.getLong(page * PAGE);
            final long elapsedNs = System.nanoTime() - startNs;
            if (memory.misses() == misses + 1)
            {
                normal[normalCount++] = elapsedNs;
            }
        }

        // The victim: the live host with the most data chunks. Its last data chunk is rebuilt last (the rebuild goes
        // in slot order, a few pages per miss), so its pages, read from the end, are still lost when read.
        final List<Chunk> chunks = memory.chunks();
        final int dataChunks = (int)(ADDRESS_SPACE_BYTES / FarMemoryCluster.CHUNK_SIZE_BYTES);
        final Map<Integer, Integer> dataChunksByHost = new HashMap<>();
        for (int slot = 0; slot < dataChunks; slot++)
        {
            dataChunksByHost.merge(chunks.get(slot).hostNodeId(), 1, Integer::sum);
        }
        final int victim = dataChunksByHost.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow()
            .getKey();
        int lastSlot = -1;
        for (int slot = 0; slot < dataChunks; slot++)
        {
            if (chunks.get(slot).hostNodeId() == victim)
            {
                lastSlot = slot;
            }
        }
        kill(trial, victim, commands);

        final long[] degraded = new long[READ_SAMPLES];
        int degradedCount = 0;
        final int pagesPerChunk = FarMemoryCluster.CHUNK_SIZE_BYTES / PAGE;
        for (int row = pagesPerChunk - 1; row >= 0 && degradedCount < READ_SAMPLES; row--)
        {
            final long address = ((long)lastSlot * pagesPerChunk + row) * PAGE;
            final long before = memory.degradedReads();
            final long startNs = System.nanoTime();
            memory.getLong(address);
            final long elapsedNs = System.nanoTime() - startNs;
            if (memory.degradedReads() == before + 1)
            {
                degraded[degradedCount++] = elapsedNs;
            }
        }

        final long lostBytes = memory.pagesToRebuild() * PAGE;
        final long startNs = System.nanoTime();
        while (memory.pagesToRebuild() > 0)
        {
            memory.doWork();
            if (System.nanoTime() - startNs > REBUILD_TIMEOUT_NS)
            {
                throw new IllegalStateException(memory.pagesToRebuild() + " pages still to rebuild after " +
                    REBUILD_TIMEOUT_NS / 1_000_000_000L + " s");
            }
        }
        final long rebuildNs = System.nanoTime() - startNs;
        return new ResilienceRound(round, lineParityBytes, pageParityBytes, median(normal, normalCount),
            median(degraded, degradedCount), degradedCount, lostBytes, rebuildNs);
    }

    /**
     * Asks the runner to kill a host, and waits until this node's conductor has declared it dead.
     */
    private static void kill(final FarMemoryTrial trial, final int host, final BufferedReader commands)
    {
        System.out.println(KILL + " " + host);
        System.out.flush();
        try
        {
            final String answer = commands.readLine();
            if (null == answer || !answer.startsWith(KILLED))
            {
                throw new IllegalStateException("the runner answered '" + answer + "' to " + KILL + " " + host);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final long deadlineMs = System.currentTimeMillis() + DEATH_TIMEOUT_MS;
        while (trial.node().peerState(host) != PeerState.DEAD)
        {
            if (System.currentTimeMillis() > deadlineMs)
            {
                throw new IllegalStateException("host " + host + " was not declared dead in " + DEATH_TIMEOUT_MS +
                    " ms");
            }
            Thread.onSpinWait();
        }
    }

    private static double overhead(final List<Chunk> chunks, final long dataBytes)
    {
        return (double)chunks.size() * FarMemoryCluster.CHUNK_SIZE_BYTES / dataBytes;
    }

    private static long median(final long[] samples, final int count)
    {
        if (0 == count)
        {
            return -1;
        }
        final long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return sorted[count / 2];
    }
}
