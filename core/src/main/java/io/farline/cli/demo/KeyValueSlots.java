package io.farline.cli.demo;

import io.farline.core.far.FarMemory;

/**
 * The demo's key-value store in far memory: key {@code k} has a fixed slot of {@value #SLOT_BYTES} bytes at
 * {@code k * SLOT_BYTES}, holding its version (a long) and then a {@value #VALUE_BYTES}-byte value that is a function
 * of key and version, so that a model needs to keep only the version to check every byte.
 * <pre>
 *   0         8                                   108        128
 *   | version | value (100 bytes, from key+version) | unused  |
 * </pre>
 */
final class KeyValueSlots
{
    /** Bytes of a slot. */
    static final int SLOT_BYTES = 128;
    /** Bytes of a value. */
    static final int VALUE_BYTES = 100;

    private static final int VALUE_OFFSET = 8;

    private final FarMemory memory;
    private final byte[] value = new byte[VALUE_BYTES];
    private final byte[] read = new byte[VALUE_BYTES];

    KeyValueSlots(final FarMemory memory)
    {
        this.memory = memory;
    }

    /**
     * Writes version {@code version} of a key's value.
     */
    void update(final int key, final long version)
    {
        fill(key, version, value);
        final long slot = (long)key * SLOT_BYTES;
        memory.putLong(slot, version);
        memory.putBytes(slot + VALUE_OFFSET, value, 0, VALUE_BYTES);
    }

    /**
     * @return whether the key holds exactly version {@code version} and its value.
     */
    boolean holds(final int key, final long version)
    {
        final long slot = (long)key * SLOT_BYTES;
        if (memory.getLong(slot) != version)
        {
            return false;
        }
        memory.getBytes(slot + VALUE_OFFSET, read, 0, VALUE_BYTES);
        fill(key, version, value);
        for (int i = 0; i < VALUE_BYTES; i++)
        {
            if (read[i] != value[i])
            {
                return false;
            }
        }
        return true;
    }

    private static void fill(final int key, final long version, final byte[] into)
    {
        long x = key * 0x9E3779B97F4A7C15L + version * 0xC2B2AE3D27D4EB4FL;
        for (int i = 0; i < into.length; i += 8)
        {
            x ^= x >>> 31;
            x *= 0xBF58476D1CE4E5B9L;
            x ^= x >>> 29;
            for (int b = 0; b < 8 && i + b < into.length; b++)
            {
                into[i + b] = (byte)(x >>> (b << 3));
            }
        }
    }
}
