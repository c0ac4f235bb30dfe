/**
 * Properties of the transport: one-sided verbs checked step by step against a byte-array model of the target's
 * registered memory, and corrupt control, region and lane files that must be refused at attach with a
 * {@link io.farline.transport.FabricFileException} naming the reason, or accepted and then usable. Each property
 * runs on the seeded harness of {@link io.farline.property.harness}; a failure prints the seed that replays it.
 */
package io.farline.property.transport;
