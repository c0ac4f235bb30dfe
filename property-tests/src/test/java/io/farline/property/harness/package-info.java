/**
 * A small seeded property harness on plain JUnit 5 (the project uses no property-testing library): a {@link
 * io.farline.property.harness.Gen} draws a list of actions from a seeded random source, a {@link
 * io.farline.property.harness.Property} checks one list against a model, the {@link
 * io.farline.property.harness.PropertyRunner} runs it for a number of trials, and on failure the {@link
 * io.farline.property.harness.Shrinker} removes and simplifies actions while the failure persists. The {@link
 * io.farline.property.harness.PropertyResult} names the seed that replays the failing trial
 * ({@code -Dfarline.seed=<seed> -Dfarline.trials=1}) and lists the shrunk actions.
 * <p>
 * Conventions: a trial's actions depend only on its seed; trial 0's seed is the base seed, so a failing trial is
 * replayed alone by passing its seed as the base seed. Actions are immutable values whose {@code toString} is what
 * the failure report prints.
 */
package io.farline.property.harness;
