/**
 * Registered memory region files: their layout, {@link io.farline.transport.region.RegionFileDescriptor}, and their
 * mapping, {@link io.farline.transport.region.RegionFile}. The header plays the part of an RDMA NIC's registration
 * entry; the region state is written by the owner with release semantics and acquired by every remote verb.
 */
package io.farline.transport.region;
