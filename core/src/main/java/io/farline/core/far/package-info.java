/**
 * Far memory: a paged address space larger than its local cache, whose pages live on memory hosts in chunks borrowed
 * from the pool. Misses fetch the missed line first by one-sided READ, a prefetcher fetches ahead, dirty lines (never
 * whole pages) go home by one-sided WRITE, and a clock with accessed bits keeps active pages local.
 * <p>
 * Conventions: one thread per {@link io.farline.core.far.FarMemory}; page size 4 KiB, tracking unit 64 bytes; page
 * {@code p} lives in chunk {@code p / pagesPerChunk} at offset {@code (p % pagesPerChunk) * 4096}. Work request ids
 * carry a kind and a frame or page ({@code HostLinks}).
 * <p>
 * {@code FarMemory} is the API and the access path; the rest of the work is done by package-private pieces, one
 * concept each: {@code LocalFrames} (the cache's frames), {@code PageFetcher} (misses, prefetches, degraded fills),
 * {@code WriteBack} (dirty lines home), {@code Reclaimer} (freeing frames), {@code PageHomes} (where pages live),
 * {@code ChunkEvacuator} (giving a chunk back), {@code ChunkBorrowing} (borrowing at open), and for parity
 * {@code StripeMap}, {@code StripeWriter} and {@code StripeRepair}.
 */
package io.farline.core.far;
