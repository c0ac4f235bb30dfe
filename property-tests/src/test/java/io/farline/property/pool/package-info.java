/**
 * Properties of the memory pool: random sequences of allocations, releases, parks and adoptions, reconciliations,
 * evacuations, reclaims and withdrawals, and the deaths and restarts of borrowers, memory hosts and the controller,
 * run on a real pool of in-process nodes whose every duty cycle the test drives, and checked after each step against
 * a model of every chunk table. Each property runs on the seeded harness of {@link io.farline.property.harness}; a
 * failure prints the seed that replays it and the shrunk action list.
 */
package io.farline.property.pool;
