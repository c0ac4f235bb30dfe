package io.farline.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code --name value} options of a command, each checked against the names the command accepts.
 */
final class Options
{
    private final Map<String, String> values = new HashMap<>();

    private Options()
    {
    }

    /**
     * @param args    the command's arguments.
     * @param allowed the option names it accepts, with their dashes.
     * @return the options.
     * @throws UsageException for an unknown option or one without a value.
     */
    static Options parse(final String[] args, final List<String> allowed)
    {
        final Options options = new Options();
        for (int i = 0; i < args.length; i++)
        {
            if (!allowed.contains(args[i]))
            {
                throw new UsageException("unknown option '" + args[i] + "' (options: " + String.join(" ", allowed) +
                    ")");
            }
            if (i + 1 >= args.length)
            {
                throw new UsageException(args[i] + " needs a value");
            }
            options.values.put(args[i], args[++i]);
        }
        return options;
    }

    String required(final String name)
    {
        final String value = values.get(name);
        if (null == value)
        {
            throw new UsageException(name + " is required");
        }
        return value;
    }

    /**
     * For a shutdown hook: asks the command's loop to stop and waits (up to 10 s) until it has closed its node, so
     * that the JVM does not halt half-way through the close.
     */
    static void awaitStop(final CountDownLatch stop,
        final CountDownLatch stopped)
    {
        stop.countDown();
        try
        {
            stopped.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    String get(final String name, final String defaultValue)
    {
        return values.getOrDefault(name, defaultValue);
    }
}
