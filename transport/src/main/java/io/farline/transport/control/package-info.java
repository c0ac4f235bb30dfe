/**
 * The node control file (Aeron-CnC-like): its layout, {@link io.farline.transport.control.ControlFileDescriptor},
 * and its mapping, {@link io.farline.transport.control.ControlFile}. The owner writes the header once and publishes
 * it with a release store of the layout version; attachers acquire the version and check every field once.
 */
package io.farline.transport.control;
