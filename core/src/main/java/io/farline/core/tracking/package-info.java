/**
 * Tracked memory: off-heap memory whose every store marks the tracking units (64-byte cache lines by default) it
 * wrote in a lock-free dirty bitmap, and the drainer that collects them epoch by epoch.
 * <p>
 * Conventions: offsets are bytes from the start of the tracked region; a unit index is an offset shifted right by
 * the unit's log2; bitmap word {@code u >>> 6} holds unit {@code u}. Access modes are in method names as in JDK 9
 * ({@code putLongRelease}, {@code getAndAddLong}, ...). Memory ordering: writers store, then mark (a plain load of
 * the word, and an atomic OR only when a bit is clean); the drainer swaps words to zero, then runs a process-wide
 * barrier, then reads data. {@link io.farline.core.tracking.DirtyBitmap} states the contract in full.
 */
package io.farline.core.tracking;
