package io.farline.cli.demo;

import io.farline.cli.Units;
import io.farline.cli.UsageException;
import io.farline.core.far.FarMemory;
import io.farline.core.far.FarMemoryConfig;
import io.farline.core.far.Redundancy;
import io.farline.core.pool.Chunk;
import io.farline.core.pool.PoolClient;
import io.farline.transport.Fabric;
import io.farline.transport.Node;
import io.farline.transport.NodeConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static io.farline.cli.demo.DemoSession.number;
import static io.farline.cli.demo.DemoSession.step;

/**
 * {@code farline demo}: far memory across real processes. Starts a pool controller and memory hosts as child JVMs on
 * a fresh fabric; runs a key-value store in far memory with XOR 3+1 parity in this JVM, under YCSB-A-like traffic
 * (half reads, half updates, zipfian keys) with a working set several times the local cache; kills a memory host with
 * SIGKILL a third of the way through and keeps going through the degraded reads and the rebuild; then checks every
 * key against a model and prints a summary. Exits 0 only if everything verified. Child processes and the fabric's
 * files are removed on success, failure or Ctrl-C.
 */
public final class FarMemoryDemo
{
    private static final int CHUNK_BYTES = 1 << 20;
    private static final int STRIPE_DATA_PAGES = 3;
    private static final long PROGRESS_PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long START_TIMEOUT_MS = 60_000;
    private static final long REBUILD_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);
    private static final int DUTY_CYCLE_OPERATIONS = 4096;

    private final DemoSession session;
    private final int hosts;
    private final int keys;
    private final long seconds;
    private final Map<Integer, Process> hostProcesses = new HashMap<>();

    private FarMemoryDemo(final DemoSession session, final int hosts, final int keys, final long seconds)
    {
        this.session = session;
        this.hosts = hosts;
        this.keys = keys;
        this.seconds = seconds;
    }

    /**
     * @param args the demo's options.
     * @return the exit code: 0 only if everything verified.
     */
    public static int run(final String[] args)
    {
        int hosts = 5;
        int keys = 200_000;
        long seconds = 30;
        boolean keep = false;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--hosts":
                    hosts = (int)number(args, ++i, STRIPE_DATA_PAGES + 2, 16);
                    break;
                case "--keys":
                    keys = (int)number(args, ++i, 1_000, 1_000_000);
                    break;
                case "--seconds":
                    seconds = number(args, ++i, 3, 3600);
                    break;
                case "--keep":
                    keep = true;
                    break;
                default:
                    throw new UsageException("unknown option '" + args[i] + "'");
            }
        }
        try (DemoSession session = new DemoSession("demo", keep))
        {
            session.printHeader("farline demo", "far memory with XOR 3+1 parity over " + hosts + " memory host JVMs");
            final FarMemoryDemo demo = new FarMemoryDemo(session, hosts, keys, seconds);
            return session.run(demo::runSteps, "demo passed: a memory host was killed, every key verified");
        }
    }

    private void runSteps()
    {
        final Fabric fabric = session.fabric();
        final long addressSpace = addressSpaceBytes(keys);
        final long cache = Math.max(2 * FarMemory.PAGE_SIZE_BYTES, addressSpace / 8 & ~(FarMemory.PAGE_SIZE_BYTES - 1));
        final long donate = donateBytes(addressSpace, hosts);

        long start = step("starting a pool controller and " + hosts + " memory hosts (" + Units.bytes(donate) +
            " each)");
        startPool(fabric, donate);
        session.done(start, "pool", "controller and " + hosts + " hosts online, " + Units.bytes(donate) + " each",
            true);

        try (Node node = Node.launch(new NodeConfig().fabric(fabric));
            PoolClient pool = new PoolClient(node, PoolClient.DEFAULT_TIMEOUT_MS);
            FarMemory memory = FarMemory.open(node, pool, new FarMemoryConfig().addressSpaceBytes(addressSpace)
                .localCacheBytes(cache).chunkSizeBytes(CHUNK_BYTES).redundancy(Redundancy.xor(STRIPE_DATA_PAGES))))
        {
            final KeyValueSlots store = new KeyValueSlots(memory);
            final long[] versions = new long[keys];
            start = step("loading " + String.format("%,d", keys) + " keys of " + KeyValueSlots.VALUE_BYTES +
                " bytes into " + Units.bytes(addressSpace) + " of far memory over a " + Units.bytes(cache) +
                " cache");
            for (int key = 0; key < keys; key++)
            {
                versions[key] = 1;
                store.update(key, 1);
            }
            memory.flush();
            session.done(start, "load", String.format("%,d keys written and acknowledged (flush)", keys), true);

            start = step("YCSB-A for " + seconds + " s (50% reads, 50% updates, zipfian keys); a host is killed at " +
                seconds / 3 + " s");
            final Workload outcome = runWorkload(memory, store, versions);
            System.out.println();
            session.done(start, "workload", String.format("%,d operations, %s, local hit rate %.1f%%, %,d reads " +
                "checked", outcome.operations, Units.rate(outcome.operations, outcome.elapsedNs),
                100 * memory.localHitRate(), outcome.reads), 0 == outcome.wrongReads);
            session.done(start, "host killed", "host " + outcome.victim + " (SIGKILL) held " + outcome.victimChunks +
                " chunks; " + memory.degradedReads() + " misses served degraded, no error",
                memory.hostDeaths() == 1 && outcome.victimChunks > 0);
            session.done(start, "write-back", Units.bytes(memory.bytesWrittenBack()) + " of dirty lines shipped; " +
                "page-granular would ship " + Units.bytes(memory.pageGranularBytes()) + String.format(" (%.0fx)",
                (double)memory.pageGranularBytes() / Math.max(1, memory.bytesWrittenBack())), true);
            session.done(start, "parity", Units.bytes(memory.parityUpdateBytes()) + " moved for parity; whole " +
                "pages would move " + Units.bytes(memory.pageParityUpdateBytes()), true);

            start = step("finishing the rebuild");
            final long rebuildStartNs = System.nanoTime();
            while (memory.pagesToRebuild() > 0 && System.nanoTime() - rebuildStartNs < REBUILD_TIMEOUT_NS)
            {
                session.checkNotInterrupted();
                memory.doWork();
            }
            final boolean rebuilt = 0 == memory.pagesToRebuild();
            session.done(start, "rebuild", String.format("%,d pages rebuilt onto spare hosts, %d left; no chunk on " +
                "the dead host", memory.rebuiltPages(), memory.pagesToRebuild()), rebuilt &&
                memory.chunks().stream().noneMatch(c -> c.hostNodeId() == outcome.victim));

            start = step("verifying every key against the model");
            memory.flush();
            int wrong = 0;
            for (int key = 0; key < keys; key++)
            {
                wrong += store.holds(key, versions[key]) ? 0 : 1;
            }
            session.done(start, "verify", String.format("%,d keys, version and all %d value bytes each: %,d wrong",
                keys, KeyValueSlots.VALUE_BYTES, wrong), 0 == wrong);
        }
    }

    private void startPool(final Fabric fabric, final long donate)
    {
        final String dir = fabric.directory().toString();
        final Process controller = session.startFarline("controller", List.of("-Xmx64m"),
            List.of("controller", "--fabric", dir));
        session.awaitLogLine("controller", controller, "READY", START_TIMEOUT_MS);
        final List<Process> started = new ArrayList<>();
        for (int i = 0; i < hosts; i++)
        {
            started.add(session.startFarline("host-" + i, List.of("-Xmx64m"), List.of("host", "--fabric", dir,
                "--donate", (donate >> 20) + "MiB", "--chunk", (CHUNK_BYTES >> 20) + "MiB")));
        }
        for (int i = 0; i < hosts; i++)
        {
            final String ready = session.awaitLogLine("host-" + i, started.get(i), "READY", START_TIMEOUT_MS);
            final int nodeId = Integer.parseInt(ready.substring(ready.lastIndexOf(' ') + 1));
            hostProcesses.put(nodeId, started.get(i));
            session.awaitLogLine("controller", controller, "host " + nodeId + " online", START_TIMEOUT_MS);
        }
    }

    private Workload runWorkload(final FarMemory memory, final KeyValueSlots store, final long[] versions)
    {
        final Workload outcome = new Workload();
        final ZipfianKeys zipfian = new ZipfianKeys(keys);
        final SplittableRandom random = new SplittableRandom(42);
        final long startNs = System.nanoTime();
        final long endNs = startNs + TimeUnit.SECONDS.toNanos(seconds);
        final long killNs = startNs + TimeUnit.SECONDS.toNanos(seconds) / 3;
        long nextProgressNs = startNs + PROGRESS_PERIOD_NS;
        long now = startNs;
        while (now < endNs)
        {
            for (int i = 0; i < DUTY_CYCLE_OPERATIONS; i++)
            {
                final int key = zipfian.next(random);
                if (random.nextBoolean())
                {
                    store.update(key, ++versions[key]);
                }
                else
                {
                    outcome.reads++;
                    outcome.wrongReads += store.holds(key, versions[key]) ? 0 : 1;
                }
            }
            outcome.operations += DUTY_CYCLE_OPERATIONS;
            session.checkNotInterrupted(); // Ctrl-C: stop here, before the hosts being stopped fail the operations
            memory.doWork(); // periodic write-back, the rebuild, reclaims ahead
            now = System.nanoTime();
            if (outcome.victim < 0 && now >= killNs)
            {
                kill(memory, outcome);
            }
            if (now >= nextProgressNs)
            {
                progress(memory, outcome, now - startNs);
                nextProgressNs += PROGRESS_PERIOD_NS;
            }
        }
        outcome.elapsedNs = now - startNs;
        memory.flush();
        return outcome;
    }

    /**
     * Kills the host holding the most chunks, with SIGKILL, as a machine failure would.
     */
    private void kill(final FarMemory memory, final Workload outcome)
    {
        final Map<Integer, Integer> chunksByHost = new HashMap<>();
        for (final Chunk chunk : memory.chunks())
        {
            chunksByHost.merge(chunk.hostNodeId(), 1, Integer::sum);
        }
        final Map.Entry<Integer, Integer> victim = chunksByHost.entrySet().stream()
            .max(Map.Entry.comparingByValue()).orElseThrow();
        outcome.victim = victim.getKey();
        outcome.victimChunks = victim.getValue();
        hostProcesses.get(outcome.victim).destroyForcibly();
        System.out.println();
        System.out.println("     !! killed memory host " + outcome.victim + " (SIGKILL), which held " +
            outcome.victimChunks + " chunks; the workload goes on");
    }

    private static void progress(final FarMemory memory, final Workload outcome, final long elapsedNs)
    {
        // One line under 110 columns, rewritten in place.
        System.out.printf("\r     %3ds %,10d ops %10s  hits %4.1f%%  sent %9s (pages %9s)  degraded %,d  " +
            "rebuilt %,d left %,d ", TimeUnit.NANOSECONDS.toSeconds(elapsedNs),
            outcome.operations, Units.rate(outcome.operations, elapsedNs), 100 * memory.localHitRate(),
            Units.bytes(memory.bytesWrittenBack()), Units.bytes(memory.pageGranularBytes()),
            memory.degradedReads(), memory.rebuiltPages(), memory.pagesToRebuild());
        System.out.flush();
    }

    /**
     * @return the far memory for the keys' slots: a whole number of stripe groups (3 chunks).
     */
    static long addressSpaceBytes(final int keys)
    {
        final long group = (long)STRIPE_DATA_PAGES * CHUNK_BYTES;
        final long slots = (long)keys * KeyValueSlots.SLOT_BYTES;
        return (slots + group - 1) / group * group;
    }

    /**
     * @return what each host donates: its share of data and parity (4/3 of the address space), twice over, so
     * that the survivors have room to rebuild a dead host's chunks.
     */
    static long donateBytes(final long addressSpace, final int hosts)
    {
        final long perHost = addressSpace * 4 / 3 * 2 / hosts;
        return Math.max(4L << 20, (perHost + CHUNK_BYTES - 1) / CHUNK_BYTES * CHUNK_BYTES);
    }

    /** What the workload did. */
    private static final class Workload
    {
        long operations;
        long reads;
        long wrongReads;
        long elapsedNs;
        int victim = -1;
        int victimChunks;
    }
}
