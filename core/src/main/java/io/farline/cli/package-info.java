/**
 * The {@code farline} command line: {@code demo}, {@code stat}, {@code clean} and {@code --help}. The {@code farline}
 * launcher script at the repository root builds the runnable jar when needed and runs {@link
 * io.farline.cli.FarlineMain} with the JVM flags Farline needs.
 */
package io.farline.cli;
