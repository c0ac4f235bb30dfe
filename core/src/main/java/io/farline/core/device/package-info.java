/**
 * Devices on the interconnect model (the "software FPGA" of seed 003): the dirty-line logger, which keeps a buffer
 * of dirty line addresses, and the page write tracker, the programming interface that tracks a list of pages and
 * reports the lines written in them.
 * <p>
 * Conventions: each device is an {@link io.farline.core.interconnect.InterconnectDevice}; its event callbacks and
 * {@code doWork} run on the interconnect's thread, its public methods on one application thread, and the two sides
 * hand over through a volatile state word or a one-to-one ring buffer, as each class documents. Events may be lost;
 * every device then falls back to the dirty bitmap and says what that fallback reports.
 */
package io.farline.core.device;
