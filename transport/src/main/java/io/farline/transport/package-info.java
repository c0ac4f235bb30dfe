/**
 * RDMA emulated over shared memory between processes on one machine, in the style of Aeron: a {@link
 * io.farline.transport.Fabric} directory, {@link io.farline.transport.Node}s with control files, registered memory
 * regions, queue pairs with one-sided verbs (READ, WRITE, COMPARE_AND_SWAP, FETCH_AND_ADD) and two-sided SEND/RECV,
 * completion queues, liveness and an optional link model.
 * <p>
 * Conventions: methods that name a memory ordering use the JDK 9 terms ({@code Acquire}, {@code Release},
 * {@code Opaque}, {@code Volatile}); every non-plain store says in a comment what it publishes and which load
 * acquires it. Expected hot-path outcomes (queue full, back-pressure, peer dead) are negative {@code int} return
 * codes or completion statuses; programming errors and use after close are exceptions. Shared-memory structures
 * live in sub-packages next to their {@code *Descriptor}. Counters and cursors written by different writers sit in
 * separate 128-byte slots.
 */
package io.farline.transport;
