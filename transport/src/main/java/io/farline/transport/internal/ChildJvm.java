package io.farline.transport.internal;

import io.farline.transport.JvmFlags;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a child JVM on this JVM's classpath, with the flags Farline needs: how tests, the demo and benchmarks put
 * real peer processes on one machine.
 */
public final class ChildJvm
{
    private ChildJvm()
    {
    }

    /**
     * @return the java executable of this JVM.
     */
    public static String javaExecutable()
    {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The command line that runs {@code mainClass} with {@code args} in a child JVM.
     *
     * @param mainClass class with a {@code main} method, on this JVM's classpath.
     * @param jvmArgs   extra JVM arguments (heap size, system properties).
     * @param args      program arguments.
     * @return the command.
     */
    public static List<String> command(final Class<?> mainClass, final List<String> jvmArgs, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(JvmFlags.forThisJvm());
        // Serial GC: children are small, and a 2-core machine runs several of them beside the parent.
        command.add("-XX:+UseSerialGC");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }

    /**
     * Starts a child JVM whose standard error is inherited and standard output is a pipe the caller reads.
     *
     * @param mainClass class with a {@code main} method, on this JVM's classpath.
     * @param jvmArgs   extra JVM arguments.
     * @param args      program arguments.
     * @return the started process.
     */
    public static Process start(final Class<?> mainClass, final List<String> jvmArgs, final List<String> args)
    {
        return start(mainClass, jvmArgs, args, null);
    }

    /**
     * Starts a child JVM, sending its standard output and error to a log file if one is given.
     *
     * @param mainClass class with a {@code main} method, on this JVM's classpath.
     * @param jvmArgs   extra JVM arguments.
     * @param args      program arguments.
     * @param log       file for the child's output and error, or null to pipe standard output to the caller.
     * @return the started process.
     */
    public static Process start(
        final Class<?> mainClass, final List<String> jvmArgs, final List<String> args, final Path log)
    {
        final ProcessBuilder builder = new ProcessBuilder(command(mainClass, jvmArgs, args));
        if (null == log)
        {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        else
        {
            final File file = log.toFile();
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(file));
        }
        try
        {
            return builder.start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start child JVM for " + mainClass.getName(), ex);
        }
    }
}
