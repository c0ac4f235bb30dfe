/**
 * Implementation details of the transport (shared-file creation and mapping, child JVM launching); this package
 * can change without notice.
 */
package io.farline.transport.internal;
