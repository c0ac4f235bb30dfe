package io.farline.core.far;

import io.farline.core.far.prefetch.Prefetcher;
import io.farline.core.far.prefetch.PrefetcherConfig;
import io.farline.core.pagetable.PageTable;
import io.farline.core.pool.Chunk;
import io.farline.core.pool.PoolClient;
import io.farline.core.tracking.TrackedBuffer;
import io.farline.transport.Node;
import io.farline.core.parity.ErasureCodec;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

import static io.farline.core.pagetable.PageTableEntryDescriptor.*;

/**
 * A byte-addressable address space larger than its local cache: every page has a home in a chunk borrowed from the
 * memory pool, and a bounded cache of local frames holds the pages in use.
 * <p>
 * <b>Pages and the page table.</b> Each page's entry in a {@link PageTable} says where it is: resident in a local
 * frame (present, writable), being fetched into a frame (a local entry, writable but not present), or at home on its
 * host (a remote entry with the host and the page's index in the host's data region).
 * <p>
 * <b>Misses</b> fetch the page with one-sided READs: the missed 64-byte line first, then the rest of the page, so the
 * access is served as soon as its line has arrived (with the link model on, a line arrives well before a page). The
 * {@link Prefetcher} learns strides and repeating deltas from misses and from first uses of prefetched pages, and
 * fetches ahead into the cache; its hit rate is counted ({@link PageFetcher}).
 * <p>
 * <b>Write-back</b> ships only dirty lines: the frames are tracked memory, and the dirty runs (adjacent dirty lines
 * coalesced, split at page boundaries) go home with one-sided WRITEs, every {@code writeBackIntervalMs} (checked on
 * the slow path and every 4096 accesses), when a page is reclaimed, and all of them on {@link #flush()} and
 * {@link #close()}. Counters compare the bytes shipped with the dirty bytes and with what page-granular write-back
 * would have shipped ({@link WriteBack}).
 * <p>
 * <b>Placement</b> (seed 000, active and inactive pages). Accesses set the page's accessed bit (a compare-and-set
 * only when it is clear); a {@link PlacementClock} chooses the inactive page that leaves when a frame is needed.
 * <p>
 * <b>Read-only remote pages</b> (seed 000). {@link #mapReadOnlyFromHosts} maps pages straight from their hosts:
 * reads are served by one-sided READ with no local copy, and the first write promotes the page, copying it into a
 * frame and making it a writable local page.
 * <p>
 * <b>Freeing a frame</b> (reclaim, seed 000). The clock's victim has its dirty lines written back, and its frame is
 * freed only when every host has confirmed; reclaims run ahead of misses ({@code reclaimAheadPages}), a store to a
 * page being reclaimed cancels the reclaim, and a host that dies before it confirms leaves the page in the cache to
 * be shipped again. The details are in {@link Reclaimer}, and the frames themselves in {@link LocalFrames}.
 * <p>
 * <b>Evacuation.</b> When a host wants a chunk back, the pool asks this borrower to evacuate it; the far memory notices
 * on its slow path, at its periodic write-back or in {@link #doWork()}, borrows a replacement, copies the chunk's
 * pages host to host, moves their home, and releases the old chunk. The application goes on writing around it and
 * nothing is lost: dirty lines in the cache simply go to the new home ({@link ChunkEvacuator}).
 * <p>
 * <b>Parity</b> ({@link FarMemoryConfig#redundancy}, seed 000). Pages form stripes of k data pages on k distinct hosts
 * with m parity pages on m further hosts (XOR: m = 1; Reed-Solomon: m &gt;= 1); see {@link StripeMap}. Write-back
 * stays line-granular: the dirty lines go home and only those lines of each parity page are updated, with the delta
 * {@code coefficient * (old ^ new)} ({@link StripeWriter}). This far memory is the one writer of its stripes.
 * When a host dies (transport liveness), misses on its pages are served degraded, reconstructed from the rest of
 * their stripes, and its pages are rebuilt onto replacement chunks on hosts outside the stripes, a few at a time on
 * the application's thread and at once when needed ({@link #pagesToRebuild()}; {@code ./farline stat} shows the
 * progress). The application sees no error unless more than m hosts of one stripe die before it is rebuilt: then
 * the access throws {@link FarMemoryException} naming the pages lost, and never returns wrong data.
 * <p>
 * <b>Acknowledged writes.</b> A write is acknowledged when a {@link #flush()} that started after it returns: by then
 * the WRITE of its lines and the WRITEs of the matching parity lines have all completed, on the hosts alive at the
 * time (a WRITE that failed because its host died is carried by the parity and the rebuild). From then on it
 * survives the death of any m hosts (any one host with XOR). Writes still in the cache survive host deaths anyway
 * while this process lives; a periodic write-back is not an acknowledgement.
 * <p>
 * <b>Failure.</b> Addresses out of range throw {@link IndexOutOfBoundsException}; without parity, a host that dies
 * or does not answer within the completion timeout makes the access or flush throw {@link FarMemoryException}, and
 * dirty lines that could not be written back stay in the cache.
 * <p>
 * Threading: one thread at a time. Primitive accesses must not cross a 4 KiB page boundary (natural alignment is
 * enough). The far memory owns its chunks and returns them to the pool on {@link #close()}.
 */
public final class FarMemory implements AutoCloseable
{
    /** Page size of far memory. */
    public static final int PAGE_SIZE_BYTES = 4096;
    /** Line size: the unit of tracking and write-back. */
    public static final int LINE_SIZE_BYTES = 64;

    /** log2 of the page size: page {@code p} starts at byte {@code p << PAGE_SHIFT}, and so does frame {@code p}. */
    static final int PAGE_SHIFT = 12;
    /** Lines (units of tracking) in a page. */
    static final int LINES_PER_PAGE = PAGE_SIZE_BYTES / LINE_SIZE_BYTES;

    private static final int PERIOD_CHECK_MASK = 4095;

    /**
     * Lost rows rebuilt after a miss served from a live host: one, so that a miss pays for little more than itself (a
     * row is k READs, a decode and a WRITE); a degraded miss rebuilds its own row; {@link #doWork()}, the duty cycle
     * of an idle application, does more.
     */
    private static final int REBUILD_ROWS_PER_MISS = 1;
    private static final int REBUILD_ROWS_PER_DUTY_CYCLE = 64;

    private final FarMemoryConfig config;
    private final PoolClient pool;
    private final StripeMap stripes;
    private final StripeWriter stripeWriter;
    private final StripeRepair repair;
    private final AtomicCounter lostPagesCounter;
    private final AtomicCounter rebuiltPagesCounter;
    private final ReadOnlyHostPages hostPages;
    /** Where a read of a page mapped read-only from its host lands: {@link ReadOnlyHostPages#scratch()}. */
    private final UnsafeBuffer remoteScratch;
    private final int pageCount;
    private final LocalFrames frames;
    private final TrackedBuffer frameBuffer;
    private final PageTable table;
    private final PageHomes homes;
    private final HostLinks links;
    private final WriteBack writeBack;
    private final Reclaimer reclaimer;
    private final ChunkEvacuator evacuator;
    private final PageFetcher fetcher;
    private final Prefetcher prefetcher;
    private long accesses;
    private boolean closed;

    private FarMemory(final Node node, final FarMemoryConfig config, final PoolClient pool, final List<Chunk> chunks)
    {
        this.config = config;
        this.pool = pool;
        final Redundancy redundancy = config.redundancy();
        this.stripes = new StripeMap(chunks, redundancy.dataPages(), redundancy.parityPages(),
            config.chunkSizeBytes() >>> PAGE_SHIFT);
        this.pageCount = (int)(config.addressSpaceBytes() >>> PAGE_SHIFT);
        this.frames = new LocalFrames(config.localCacheBytes());
        this.frameBuffer = frames.buffer();
        this.table = PageTable.allocate(pageCount, 1);
        this.homes = new PageHomes(table, stripes);
        this.links = new HostLinks(node, config.completionTimeoutMs(), new FrameEvents(), redundancy.enabled());
        this.prefetcher = config.prefetchDepth() > 0 ?
            new Prefetcher(PrefetcherConfig.builder().pageCount(pageCount).maxDepth(config.prefetchDepth()).build()) :
            null;
        for (final Chunk chunk : chunks)
        {
            links.connect(chunk);
        }
        for (int page = 0; page < pageCount; page++)
        {
            table.compareAndSetEntry(page, 0, homes.homeEntry(page));
        }
        if (redundancy.enabled())
        {
            final ErasureCodec codec = redundancy.codec(PAGE_SIZE_BYTES);
            this.lostPagesCounter = node.newCounter("far memory " + redundancy + ": pages to rebuild",
                StripeRepair.LOST_PAGES_TYPE_ID);
            this.rebuiltPagesCounter = node.newCounter("far memory " + redundancy + ": pages rebuilt",
                StripeRepair.REBUILT_PAGES_TYPE_ID);
            this.repair = new StripeRepair(stripes, links, codec, pool, config.chunkSizeBytes(), homes::onHomeMoved,
                lostPagesCounter, rebuiltPagesCounter);
            this.stripeWriter =
                new StripeWriter(stripes, links, codec, repair, frameBuffer, redundancy.isReplication());
        }
        else
        {
            this.lostPagesCounter = null;
            this.rebuiltPagesCounter = null;
            this.repair = null;
            this.stripeWriter = null;
        }
        this.writeBack = new WriteBack(frames, homes, links, stripeWriter, config.writeBackIntervalMs());
        this.reclaimer = new Reclaimer(table, frames, writeBack, homes, links, prefetcher,
            config.completionTimeoutMs(), config.reclaimAheadPages());
        this.evacuator = new ChunkEvacuator(stripes, homes, links, pool, stripeWriter, config.chunkSizeBytes());
        this.fetcher = new PageFetcher(table, frames, reclaimer, links, stripes, repair, prefetcher,
            config.prefetchDepth(), config.completionTimeoutMs());
        this.hostPages = new ReadOnlyHostPages(table, links);
        this.remoteScratch = hostPages.scratch();
    }

    /**
     * Borrows chunks for the whole address space from the pool and starts with an empty local cache. The pages start
     * with whatever the chunks hold (zeros on a fresh host).
     *
     * @param node   the compute node.
     * @param pool   its pool client; the far memory borrows and, on close, releases through it.
     * @param config the settings.
     * @return the far memory.
     * @throws IllegalArgumentException naming a bad setting.
     * @throws io.farline.core.pool.PoolException if the pool cannot lend enough memory (the message says what is free
     *                                            where).
     */
    public static FarMemory open(final Node node, final PoolClient pool, final FarMemoryConfig config)
    {
        final String problem = config.check();
        if (null != problem)
        {
            throw new IllegalArgumentException(problem);
        }
        final List<Chunk> chunks = ChunkBorrowing.borrow(pool, config);
        FarMemory memory = null;
        try
        {
            memory = new FarMemory(node, config, pool, chunks);
            if (null != memory.repair)
            {
                memory.repair.encodeAll();
            }
            return memory;
        }
        catch (final RuntimeException ex)
        {
            if (null != memory)
            {
                memory.closeLocal();
            }
            pool.release(chunks);
            throw ex;
        }
    }

    /**
     * Reopens far memory over chunks a previous instance {@link #detach() detached} (and parked): adopts them from the
     * pool, then reads every page from its home on first use.
     *
     * @param node   the compute node, this one or another.
     * @param pool   its pool client.
     * @param config the settings the chunks were borrowed with.
     * @param chunks the chunks, in the order {@link #detach()} returned them.
     * @return the far memory.
     * @throws io.farline.core.pool.PoolException if a chunk is not parked.
     */
    public static FarMemory reopen(final Node node, final PoolClient pool, final FarMemoryConfig config,
        final List<Chunk> chunks)
    {
        final String problem = config.check();
        if (null != problem)
        {
            throw new IllegalArgumentException(problem);
        }
        final int dataChunks = (int)(config.addressSpaceBytes() / config.chunkSizeBytes());
        final int expected = StripeMap.chunkCount(dataChunks, config.redundancy().dataPages(),
            config.redundancy().parityPages());
        if (chunks.size() != expected)
        {
            throw new IllegalArgumentException(chunks.size() + " chunks do not make an address space of " +
                config.addressSpaceBytes() + " bytes in chunks of " + config.chunkSizeBytes() + " with parity " +
                config.redundancy() + ": that takes " + expected);
        }
        final List<Chunk> adopted = pool.adopt(chunks);
        try
        {
            return new FarMemory(node, config, pool, adopted);
        }
        catch (final RuntimeException ex)
        {
            pool.park(adopted);
            throw ex;
        }
    }

    /**
     * @return the size of the address space in bytes.
     */
    public long sizeBytes()
    {
        return (long)pageCount << PAGE_SHIFT;
    }

    /**
     * @return the chunks holding the pages, page {@code p} in chunk {@code p / pagesPerChunk}, followed by the parity
     * chunks if there is parity (each group of k data chunks has m parity chunks, in group order).
     */
    public List<Chunk> chunks()
    {
        return stripes.chunks();
    }

    /**
     * @param address a byte address, 8-byte access not crossing a page.
     * @return the long there.
     */
    public long getLong(final long address)
    {
        final int offset = frameOffset(address, Long.BYTES, false);
        return offset >= 0 ? frameBuffer.getLong(offset) : remoteScratch.getLong(0);
    }

    /**
     * @param address a byte address, 8-byte access not crossing a page.
     * @param value   to store.
     */
    public void putLong(final long address, final long value)
    {
        frameBuffer.putLong(frameOffset(address, Long.BYTES, true), value);
    }

    /**
     * @param address a byte address, 4-byte access not crossing a page.
     * @return the int there.
     */
    public int getInt(final long address)
    {
        final int offset = frameOffset(address, Integer.BYTES, false);
        return offset >= 0 ? frameBuffer.getInt(offset) : remoteScratch.getInt(0);
    }

    /**
     * @param address a byte address, 4-byte access not crossing a page.
     * @param value   to store.
     */
    public void putInt(final long address, final int value)
    {
        frameBuffer.putInt(frameOffset(address, Integer.BYTES, true), value);
    }

    /**
     * @param address a byte address.
     * @return the byte there.
     */
    public byte getByte(final long address)
    {
        final int offset = frameOffset(address, 1, false);
        return offset >= 0 ? frameBuffer.getByte(offset) : remoteScratch.getByte(0);
    }

    /**
     * @param address a byte address.
     * @param value   to store.
     */
    public void putByte(final long address, final byte value)
    {
        frameBuffer.putByte(frameOffset(address, 1, true), value);
    }

    /**
     * Copies bytes out, across pages if need be.
     *
     * @param address first byte.
     * @param dst     destination.
     * @param offset  in {@code dst}.
     * @param length  bytes.
     */
    public void getBytes(final long address, final byte[] dst, final int offset, final int length)
    {
        checkRange(address, length);
        int done = 0;
        while (done < length)
        {
            final long at = address + done;
            final int chunk = (int)Math.min(length - done, PAGE_SIZE_BYTES - (at & (PAGE_SIZE_BYTES - 1)));
            final int from = frameOffset(at, chunk, false);
            if (from >= 0)
            {
                frameBuffer.getBytes(from, dst, offset + done, chunk);
            }
            else
            {
                remoteScratch.getBytes(0, dst, offset + done, chunk);
            }
            done += chunk;
        }
    }

    /**
     * Copies bytes in, across pages if need be.
     *
     * @param address first byte.
     * @param src     source.
     * @param offset  in {@code src}.
     * @param length  bytes.
     */
    public void putBytes(final long address, final byte[] src, final int offset, final int length)
    {
        checkRange(address, length);
        int done = 0;
        while (done < length)
        {
            final long at = address + done;
            final int chunk = (int)Math.min(length - done, PAGE_SIZE_BYTES - (at & (PAGE_SIZE_BYTES - 1)));
            frameBuffer.putBytes(frameOffset(at, chunk, true), src, offset + done, chunk);
            done += chunk;
        }
    }

    /**
     * Work for callers with a duty cycle of their own: completions, evacuations the pool asked for, the rebuild of
     * pages lost with a host (up to 64 pages a call), reclaims ahead of misses, and the write-back of every dirty
     * line if the write-back period has passed.
     *
     * @return work done.
     */
    public int doWork()
    {
        checkOpen();
        int work = links.poll() + pool.poll(evacuator) + rebuildStep(REBUILD_ROWS_PER_DUTY_CYCLE);
        reclaimer.reclaimAhead();
        work += writeBack.writeBackAllIfDue();
        return work;
    }

    /**
     * Writes back every dirty line and waits until the hosts have them, and their parity: the acknowledgement of
     * every write before the call (see the class documentation).
     *
     * @throws FarMemoryException if a host failed (without parity), or more hosts of a stripe died than its parity
     *                            covers.
     */
    public void flush()
    {
        checkOpen();
        if (null != repair)
        {
            repair.checkHosts();
        }
        writeBack.writeBackAll();
        links.awaitAll("flush");
    }

    /**
     * Flushes, finishes the rebuild of any pages lost with a host, evacuates the chunks the pool asked back, releases
     * the local cache, and parks the chunks with the pool: they keep the data, lent to no node, so that
     * {@link #reopen} on this node or any other (after this process has ended, even) can adopt them.
     *
     * @return the chunks, for {@link #reopen}.
     * @throws FarMemoryException as {@link #flush()}, or if a page lost with a host cannot be rebuilt (no host can
     *                            lend a replacement chunk); nothing is parked then.
     */
    public List<Chunk> detach()
    {
        flush();
        if (null != repair)
        {
            // A lost slot already has its replacement chunk in chunks(), but which of its rows are still to rebuild
            // is known only here: parked as it is, a reopen would read those rows as data.
            repair.rebuildAll();
        }
        // A host may have asked for a chunk back: the controller parks only chunks lent as usual, so one being
        // reclaimed would stay lent to this instance, unparked, and the reopen could not adopt it. Move it first.
        pool.poll(evacuator);
        closeLocal();
        final List<Chunk> chunks = stripes.chunks();
        pool.park(chunks);
        return chunks;
    }

    /**
     * Flushes and releases the chunks to the pool. Idempotent. If the flush fails (a host died), nothing is released
     * and the exception propagates: the dirty lines are still in the cache, and close may be called again.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        flush();
        closeLocal();
        pool.release(stripes.chunks());
    }

    /**
     * @return accesses served.
     */
    public long accesses()
    {
        return accesses;
    }

    /**
     * @return accesses that missed the local cache (demand misses).
     */
    public long misses()
    {
        return fetcher.misses();
    }

    /**
     * @return 1 - misses / accesses.
     */
    public double localHitRate()
    {
        return accesses == 0 ? 0 : 1.0 - (double)fetcher.misses() / accesses;
    }

    /**
     * @return pages evicted from the local cache.
     */
    public long evictions()
    {
        return reclaimer.evictions();
    }

    /**
     * @return bytes of lines that turned dirty: 64 for every store that found its line clean (first store since the
     * line was last written back). Counted on the store path, apart from write-back; after a flush, every one of them
     * has been shipped exactly once if {@link #bytesWrittenBack()} equals it.
     */
    public long dirtyBytes()
    {
        return writeBack.dirtyBytes();
    }

    /**
     * @return bytes shipped home by WRITE.
     */
    public long bytesWrittenBack()
    {
        return writeBack.bytesWrittenBack();
    }

    /**
     * @return bytes page-granular write-back would have shipped for the same write-backs: a whole page for every page
     * with a dirty line.
     */
    public long pageGranularBytes()
    {
        return writeBack.pageGranularBytes();
    }

    /**
     * Maps pages read-only straight from their hosts (seed 000): reads of them are served by one-sided READs with no
     * local copy; the first write to one copies it in and makes it a writable local page (a promotion). Pages that
     * are local now stay local.
     *
     * @param address first byte, page-aligned.
     * @param length  bytes, a multiple of the page size.
     * @return the number of pages mapped.
     * @throws IllegalArgumentException if the range is not page-aligned.
     * @throws IndexOutOfBoundsException if it is outside the address space.
     */
    public int mapReadOnlyFromHosts(final long address, final long length)
    {
        checkOpen();
        if ((address & (PAGE_SIZE_BYTES - 1)) != 0 || (length & (PAGE_SIZE_BYTES - 1)) != 0)
        {
            throw new IllegalArgumentException("range " + address + "+" + length + " is not page-aligned");
        }
        if (address < 0 || length < 0 || address > sizeBytes() - length)
        {
            throw new IndexOutOfBoundsException("range " + address + "+" + length + " is outside 0.." + sizeBytes());
        }
        return hostPages.map((int)(address >>> PAGE_SHIFT), (int)((address + length) >>> PAGE_SHIFT));
    }

    /**
     * @return reads served straight from a host, of pages mapped read-only.
     */
    public long remoteReads()
    {
        return hostPages.remoteReads();
    }

    /**
     * @return pages mapped read-only that a write copied in.
     */
    public long promotions()
    {
        return hostPages.promotions();
    }

    /**
     * @return chunks moved to another host because their host reclaimed them.
     */
    public long evacuatedChunks()
    {
        return evacuator.evacuatedChunks();
    }

    /**
     * @return reclaims cancelled by a store to the page being reclaimed (the page stayed).
     */
    public long reclaimsCancelled()
    {
        return reclaimer.reclaimsCancelled();
    }

    /**
     * @return reclaims whose WRITEs a host did not confirm (it died): the page stayed, to be shipped again.
     */
    public long reclaimsRetried()
    {
        return reclaimer.reclaimsRetried();
    }

    /**
     * @return how the pages are protected against host losses.
     */
    public Redundancy redundancy()
    {
        return config.redundancy();
    }

    /**
     * @return bytes moved to keep parity current (old data and parity lines read, parity lines written); 0 without
     * parity.
     */
    public long parityUpdateBytes()
    {
        return null == stripeWriter ? 0 : stripeWriter.parityUpdateBytes();
    }

    /**
     * @return what page-granular parity updates would have moved for the same write-backs.
     */
    public long pageParityUpdateBytes()
    {
        return null == stripeWriter ? 0 : stripeWriter.pageParityUpdateBytes();
    }

    /**
     * @return memory hosts found dead while they held chunks of this far memory.
     */
    public long hostDeaths()
    {
        return null == repair ? 0 : repair.hostDeaths();
    }

    /**
     * @return misses on lost pages, served by reconstruction from the rest of their stripes.
     */
    public long degradedReads()
    {
        return null == repair ? 0 : repair.degradedReads();
    }

    /**
     * @return pages (data or parity) rebuilt onto replacement chunks.
     */
    public long rebuiltPages()
    {
        return null == repair ? 0 : repair.rebuiltPages();
    }

    /**
     * @return pages (data or parity) lost with their host and not yet rebuilt.
     */
    public long pagesToRebuild()
    {
        return stripes.lostRowCount();
    }

    /**
     * @return the prefetcher, for its counters, or null when prefetching is off.
     */
    public Prefetcher prefetcher()
    {
        return prefetcher;
    }

    private int frameOffset(final long address, final int length, final boolean write)
    {
        checkRange(address, length);
        if ((++accesses & PERIOD_CHECK_MASK) == 0)
        {
            periodic();
        }
        final int page = (int)(address >>> PAGE_SHIFT);
        final int inPage = (int)address & (PAGE_SIZE_BYTES - 1);
        if (inPage + length > PAGE_SIZE_BYTES)
        {
            throw new IllegalArgumentException("a " + length + "-byte access at " + address +
                " crosses a page boundary");
        }
        final long entry = table.entryVolatile(page);
        // Resident, and for a store also writable (not being reclaimed); `write` is a constant at every call site.
        final long required = write ? PTE_PRESENT | PTE_WRITABLE : PTE_PRESENT;
        if ((entry & (PTE_PRESENT | PTE_REMOTE | required)) == required)
        {
            if ((entry & PTE_ACCESSED) == 0)
            {
                onFirstAccess(page, entry);
            }
            return (int)(frame(entry) << PAGE_SHIFT) + inPage;
        }
        return slowPath(page, inPage, length, write);
    }

    private void onFirstAccess(final int page, final long entry)
    {
        table.getAndSetFlags(page, PTE_ACCESSED);
        final int frame = (int)frame(entry);
        if (frames.takePrefetchedUnused(frame))
        {
            fetcher.onPrefetchUsed(page, frame);
        }
    }

    private int slowPath(final int page, final int inPage, final int length, final boolean write)
    {
        long entry = table.entryVolatile(page);
        if ((entry & (PTE_PRESENT | PTE_REMOTE)) == PTE_PRESENT)
        {
            // A store to a page being reclaimed: the reclaim is cancelled, the page stays (its WRITEs in flight
            // are harmless, and the lines stored now are dirty again). Before periodic work, which might finish it.
            reclaimer.cancelReclaim(page, entry);
            return (int)(frame(entry) << PAGE_SHIFT) + inPage;
        }
        periodic();
        entry = table.entryVolatile(page);
        if ((entry & PTE_REMOTE) == 0)
        {
            // Being fetched (demand rest or prefetch): wait for it, then it is resident.
            fetcher.awaitFill((int)frame(entry));
            entry = table.entryVolatile(page);
            if ((entry & PTE_ACCESSED) == 0)
            {
                onFirstAccess(page, entry);
            }
            return (int)(frame(entry) << PAGE_SHIFT) + inPage;
        }
        if (null != repair && fetcher.isLost(page, entry))
        {
            return fetcher.degradedFill(page, inPage);
        }
        if ((entry & PTE_PRESENT) != 0)
        {
            // Mapped read-only from its host: a read is served remotely, with no local copy...
            if (!write)
            {
                if (hostPages.read(page, inPage, length, entry))
                {
                    return -1;
                }
                if (null == repair)
                {
                    throw HostLinks.deadHost("remote read of page " + page, hostId(entry));
                }
                return fetcher.degradedFill(page, inPage); // the host died just now
            }
            // ...and the first write promotes the page: it is copied in below, as any miss.
            hostPages.onPromotion();
        }
        final int offset = fetcher.fetchLineFirst(page, inPage, length);
        if (fetcher.lastMissDegraded())
        {
            return offset; // its host had died: the page came from the rest of its stripe, rebuilt on the way
        }
        final int frame = offset >>> PAGE_SHIFT;
        frames.pin(frame); // the access about to be served must not lose its frame to a prefetch or a reclaim
        fetcher.prefetchAfterMiss(page);
        // Work started now runs while the application goes on: reclaims (their WRITEs complete by the next miss),
        // and a row of the rebuild if a host died.
        reclaimer.reclaimAhead();
        rebuildStep(REBUILD_ROWS_PER_MISS);
        frames.unpin();
        return offset;
    }

    private void periodic()
    {
        writeBack.writeBackAllIfDue();
        pool.poll(evacuator);
    }

    private int rebuildStep(final int rows)
    {
        if (null == repair)
        {
            return 0;
        }
        return repair.checkHosts() + repair.rebuildSome(rows);
    }

    private void checkRange(final long address, final int length)
    {
        if (address < 0 || length < 0 || address > sizeBytes() - length)
        {
            throw new IndexOutOfBoundsException("access of " + length + " bytes at " + address +
                " is outside the far memory's 0.." + sizeBytes());
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("far memory is closed");
        }
    }

    private void closeLocal()
    {
        closed = true;
        CloseHelper.closeAll(lostPagesCounter, rebuiltPagesCounter);
        links.close();
        table.close();
        frames.close();
    }

    /**
     * Completions of fetches and write-backs, by frame, passed on to the fetcher and the reclaimer; a class of its own
     * so that the callbacks stay off the far memory's public API.
     */
    private final class FrameEvents implements HostLinks.FrameListener
    {
        @Override
        public void onFetchCompleted(final int kind, final int frame)
        {
            fetcher.onFetchCompleted(kind, frame);
        }

        @Override
        public void onWriteBackPosted(final int frame)
        {
            reclaimer.onWriteBackPosted(frame);
        }

        @Override
        public void onWriteBackCompleted(final int frame, final boolean confirmed)
        {
            reclaimer.onWriteBackCompleted(frame, confirmed);
        }
    }
}
