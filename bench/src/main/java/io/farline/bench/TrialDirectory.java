package io.farline.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A fresh directory for one benchmark trial, under {@code /dev/shm} where it is writable (the fabric's default home),
 * else under {@code java.io.tmpdir}; it holds the trial's fabric and any raw ring or region files of the baselines.
 * {@link #close()} deletes it with everything in it. Its name carries the pid of the JVM that made it, so that a
 * directory left by a JVM that was killed before its tear-down is swept by the next trial (tmpfs is memory).
 */
final class TrialDirectory implements AutoCloseable
{
    private static final String PREFIX = "farline-bench-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{1,19})-.*");

    private final Path path;

    private TrialDirectory(final Path path)
    {
        this.path = path;
    }

    static TrialDirectory create()
    {
        final File shm = new File("/dev/shm");
        final Path root = shm.isDirectory() && shm.canWrite() ?
            shm.toPath() : Paths.get(System.getProperty("java.io.tmpdir"));
        sweepStale(root);
        try
        {
            return new TrialDirectory(Files.createTempDirectory(root, PREFIX + ProcessHandle.current().pid() + "-"));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a trial directory under " + root, ex);
        }
    }

    /**
     * Deletes the trial directories under {@code root} whose JVM is gone. Best effort: what cannot be deleted (another
     * user's, say) stays.
     */
    private static void sweepStale(final Path root)
    {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(root, PREFIX + "*"))
        {
            for (final Path directory : stream)
            {
                final Matcher matcher = NAME.matcher(directory.getFileName().toString());
                if (matcher.matches() && ProcessHandle.of(Long.parseLong(matcher.group(1))).isEmpty())
                {
                    new TrialDirectory(directory).close();
                }
            }
        }
        catch (final IOException | RuntimeException ignore)
        {
            // Sweeping is a courtesy; the trial does not depend on it.
        }
    }

    Path path()
    {
        return path;
    }

    Path resolve(final String name)
    {
        return path.resolve(name);
    }

    @Override
    public void close()
    {
        if (!Files.exists(path))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(path))
        {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete trial directory " + path, ex);
        }
    }

    @Override
    public String toString()
    {
        return path.toString();
    }
}
