/**
 * JMH suites for Farline and the runner that turns them into {@code bench/results/<suite>.json}. Every figure is a
 * ratio of a subject to a baseline measured in the same run (raw {@code UnsafeBuffer} stores, copies and atomics, raw
 * Agrona ring buffers), medians over forks, because the machines that run them are shared and noisy. The suites
 * ({@link io.farline.bench.BenchmarkSuite}: transport, tracking, farmemory, resilience) share one runner. Classes are
 * named {@code <Subject><Op><Metric>Benchmark}; each has a {@code main()} that delegates to {@link
 * io.farline.bench.BenchmarkRunner}, which passes the JVM flags from their one definition
 * ({@link io.farline.transport.JvmFlags}). Cross-process benchmarks start peer JVMs ({@link
 * io.farline.bench.BenchPeerMain}) per trial and stop them at tear-down; hot loops allocate nothing and busy-spin.
 * The farmemory suite runs on a memory pool (a controller and memory hosts in child JVMs, {@link
 * io.farline.bench.FarMemoryCluster}) that the runner starts once for the suite and always stops, and takes its
 * count metrics from FarMemory's own counters in a step outside JMH ({@link io.farline.bench.FarMemoryCountsMain}).
 */
package io.farline.bench;
