/**
 * The page table: an off-heap table of 64-bit entries (present, writable, accessed, dirty, reclaiming, and a location
 * that is a local frame or a memory host and offset), updated lock-free by compare-and-set, with replicas per
 * "socket" that a replicator keeps up to date by copying only the table's dirty cache lines.
 * <p>
 * Conventions: a page number indexes the table; entry {@code p} sits at byte {@code 8p} of the master and of every
 * replica. The master is tracked memory, written only through compare-and-set; replicas are written only by the
 * replicator (release stores) and read with acquire loads.
 */
package io.farline.core.pagetable;
