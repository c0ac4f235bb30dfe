package io.farline.property.harness;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Seeds of randomised tests, for those that are not action-list properties (a timed multi-threaded stress run, for
 * instance) as well as for {@link PropertyRunner}: the base seed is the system property
 * {@value PropertyRunner#SEED_PROPERTY} (decimal or 0x-hex) if set, else a random one, and streams derived from it
 * are well mixed. A test prints {@link #replayFlag(long)} when it fails (STYLE 35).
 */
public final class Seeds
{
    private Seeds()
    {
    }

    /**
     * @return the seed in {@value PropertyRunner#SEED_PROPERTY}, or a random one if it is unset or blank.
     * @throws IllegalArgumentException if the property is not a long.
     */
    public static long base()
    {
        final String property = System.getProperty(PropertyRunner.SEED_PROPERTY);
        if (null != property && !property.isBlank())
        {
            return parse(property);
        }
        return ThreadLocalRandom.current().nextLong();
    }

    /**
     * @param text a seed, decimal or 0x-hex, surrounding blanks ignored.
     * @return the seed.
     * @throws IllegalArgumentException naming the property if the text is not a long.
     */
    public static long parse(final String text)
    {
        try
        {
            return Long.decode(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("-D" + PropertyRunner.SEED_PROPERTY + "=" + text + " is not a long", ex);
        }
    }

    /**
     * @param base   a base seed.
     * @param stream index of the derived stream, e.g. a thread or round number.
     * @return the stream's seed: the base seed for stream 0, a well-mixed derivative for the others.
     */
    public static long derive(final long base, final int stream)
    {
        return PropertyRunner.trialSeed(base, stream);
    }

    /**
     * @param seed a base seed.
     * @return the JVM flag that makes {@link #base()} return it.
     */
    public static String replayFlag(final long seed)
    {
        return "-D" + PropertyRunner.SEED_PROPERTY + "=" + seed;
    }
}
