/**
 * Implementation details of the core (the native process-wide barrier); this package can change without notice.
 */
package io.farline.core.internal;
