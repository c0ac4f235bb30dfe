/**
 * The memory pool: memory hosts donate memory in chunks, a controller lends chunks to compute nodes and takes them
 * back (on release, on a borrower's death, or when a host reclaims memory, after the borrower evacuates), and compute
 * nodes borrow through a {@link io.farline.core.pool.PoolClient}.
 * <p>
 * Conventions: each host's chunk table ({@link io.farline.core.pool.ChunkTableDescriptor}) is the source of truth,
 * changed only by one-sided compare-and-swap with a generation in every entry; the controller's state is soft and
 * rebuilt after a restart (see {@link io.farline.core.pool.PoolController}). Messages travel by SEND
 * ({@link io.farline.core.pool.PoolMessages}); the controller is found through the fabric's locator file
 * ({@link io.farline.core.pool.ControllerLocator}). The controller is a process of its own rather than part of a
 * host, so that a host can be killed or reclaimed without taking the pool's bookkeeping with it, and so that the
 * controller can be restarted without touching any host.
 */
package io.farline.core.pool;
