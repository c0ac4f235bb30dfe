package io.farline.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags Farline needs, and the check that they are present.
 * <p>
 * Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}, which needs
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}. On JDK 24 and newer,
 * {@code --sun-misc-unsafe-memory-access=allow} keeps the JDK from warning about (and, later, refusing) the
 * {@code sun.misc.Unsafe} memory access of libraries run alongside, such as JMH 1.37 in the benchmark forks, and
 * {@code --enable-native-access=ALL-UNNAMED} keeps the core's JNI library (the drainer's process-wide barrier) from
 * printing a restricted-method warning when it loads. The flags are defined once, in
 * the parent pom, and reach this class through a resource the build filters; surefire, JMH forks, child JVMs and
 * the {@code farline} launcher all use that one definition.
 * <p>
 * {@link #ensurePresent()} is called at first use of the transport ({@link Fabric#open}), so an application that
 * embeds Farline without the flags gets an exception naming the exact flag rather than an
 * {@link IllegalAccessError} from deep inside Agrona. Thread-safe; every method is cold.
 */
public final class JvmFlags
{
    private static final String RESOURCE = "jvm-flags.properties";
    private static final String UNSAFE_ACCESS_PROPERTY = "sun.misc.unsafe.memory.access";
    private static final int UNSAFE_ACCESS_FLAG_SINCE_FEATURE = 24;

    private static final String BASE_FLAGS;
    private static final String JDK24_FLAGS;

    static
    {
        final Properties properties = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE))
        {
            if (null == in)
            {
                throw new IllegalStateException("missing resource " + RESOURCE + " next to " + JvmFlags.class);
            }
            properties.load(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        BASE_FLAGS = properties.getProperty("base", "").trim();
        JDK24_FLAGS = properties.getProperty("jdk24", "").trim();
    }

    private JvmFlags()
    {
    }

    /**
     * The flags a JVM of the running feature version needs, one list element per token, ready for a
     * {@link ProcessBuilder} command line or JMH's {@code jvmArgsAppend}.
     *
     * @return an unmodifiable list of flags.
     */
    public static List<String> forThisJvm()
    {
        return forFeatureVersion(Runtime.version().feature());
    }

    /**
     * The flags a JVM of the given feature version needs.
     *
     * @param featureVersion the JDK feature version, e.g. 17 or 25.
     * @return an unmodifiable list of flags, one token per element.
     */
    public static List<String> forFeatureVersion(final int featureVersion)
    {
        final List<String> flags = new ArrayList<>(split(BASE_FLAGS));
        if (featureVersion >= UNSAFE_ACCESS_FLAG_SINCE_FEATURE)
        {
            flags.addAll(split(JDK24_FLAGS));
        }
        return Collections.unmodifiableList(flags);
    }

    /**
     * The flags this JVM lacks, empty when all are present.
     *
     * @return the missing flags, each as it must be written on the command line.
     */
    public static List<String> missing()
    {
        final List<String> missing = new ArrayList<>();
        final Module javaBase = Object.class.getModule();
        if (!javaBase.isExported("jdk.internal.misc", JvmFlags.class.getModule()))
        {
            missing.add(BASE_FLAGS);
        }
        if (Runtime.version().feature() >= UNSAFE_ACCESS_FLAG_SINCE_FEATURE &&
            !"allow".equals(System.getProperty(UNSAFE_ACCESS_PROPERTY)))
        {
            missing.add(JDK24_FLAGS);
        }
        return missing;
    }

    /**
     * Throws when this JVM lacks a flag Farline needs, naming the flag to add.
     *
     * @throws IllegalStateException naming each missing flag.
     */
    public static void ensurePresent()
    {
        final List<String> missing = missing();
        if (!missing.isEmpty())
        {
            throw new IllegalStateException(
                "Farline needs these JVM flags, which this JVM (" + Runtime.version() + ") was started without: " +
                String.join(" ", missing) + " (add them to the java command line, e.g. java " +
                String.join(" ", forThisJvm()) + " -cp ...)");
        }
    }

    private static List<String> split(final String flags)
    {
        final List<String> tokens = new ArrayList<>();
        for (final String token : flags.split("\\s+"))
        {
            if (!token.isEmpty())
            {
                tokens.add(token);
            }
        }
        return tokens;
    }
}
