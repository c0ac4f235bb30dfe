/**
 * The interconnect model: the bus, in software, between tracked memory and the devices that act on its events (seed
 * 003's FPGA on the coherence interconnect). Ownership events (a store turning units from clean to dirty) and miss
 * events flow from the threads that cause them through a many-to-one ring buffer to the interconnect's agent, which
 * hands them to each attached device.
 * <p>
 * Conventions: events are hints and may be dropped when the ring is full; devices are told and fall back to the dirty
 * bitmap, the source of truth. Device callbacks run on the interconnect's one thread: a duty cycle never runs on two
 * threads at once, and once a runner has started, only on the runner's. A device that throws is isolated: the
 * exception goes to the interconnect's {@link org.agrona.ErrorHandler}, and an event it failed on counts as lost for
 * it alone.
 */
package io.farline.core.interconnect;
