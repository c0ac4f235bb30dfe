/**
 * The transport demo behind {@code farline demo}: a coordinator and peer JVMs exercising one-sided and two-sided
 * verbs across real processes, verifying every result.
 */
package io.farline.cli.demo;
