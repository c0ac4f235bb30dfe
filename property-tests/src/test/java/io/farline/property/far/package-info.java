/**
 * Properties of far memory: random action lists (writes across lines and pages, reads, primitive accesses, flushes,
 * read-only mappings, detach and reopen, host deaths) run on a far memory borrowed from a real pool and on a byte
 * array of its address space, which must agree at every read. Each property runs on the seeded harness of
 * {@link io.farline.property.harness}; a failure prints the seed that replays it and the shrunk action list.
 */
package io.farline.property.far;
