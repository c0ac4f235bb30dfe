package io.farline.property.transport;

import io.farline.property.harness.Simplifier;
import org.agrona.SemanticVersion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One corruption of a fabric file: flip a byte, overwrite a header field, set the layout version, truncate, extend,
 * or resize the file to the length its (corrupted) header implies, which makes garbage section lengths look
 * consistent. A corruption that does not apply to the file as it is (a byte past its end) does nothing.
 */
sealed interface Corruption
{
    /** Files are never grown beyond this by {@link MatchLength}: enough for any length worth trying, cheap. */
    long MAX_MATCHED_LENGTH = 64L << 20;

    /**
     * @param file to corrupt in place.
     * @param kind of file, for the header layout.
     * @throws IOException if the file cannot be changed.
     */
    void apply(Path file, FabricFileKind kind) throws IOException;

    /**
     * @return simpler corruptions, for shrinking.
     */
    List<Corruption> simpler();

    /**
     * XORs the byte at {@code offset} with {@code mask}.
     */
    record FlipByte(int offset, int mask) implements Corruption
    {
        @Override
        public void apply(final Path file, final FabricFileKind kind) throws IOException
        {
            try (FileChannel channel = open(file))
            {
                final ByteBuffer b = ByteBuffer.allocate(1);
                if (offset < channel.size() && channel.read(b, offset) == 1)
                {
                    b.put(0, (byte)(b.get(0) ^ mask)).rewind();
                    channel.write(b, offset);
                }
            }
        }

        @Override
        public List<Corruption> simpler()
        {
            final List<Corruption> simpler = new ArrayList<>();
            Simplifier.towards(offset, 0).forEach(v -> simpler.add(new FlipByte(v, mask)));
            Simplifier.towards(mask, 1).forEach(v -> simpler.add(new FlipByte(offset, v)));
            return simpler;
        }

        @Override
        public String toString()
        {
            return "flip byte " + offset + " ^ 0x" + Integer.toHexString(mask);
        }
    }

    /**
     * Writes {@code value} into a header field (its low 4 bytes for an int field).
     */
    record PutField(HeaderField field, long value) implements Corruption
    {
        @Override
        public void apply(final Path file, final FabricFileKind kind) throws IOException
        {
            try (FileChannel channel = open(file))
            {
                if (field.offset() + field.width() <= channel.size())
                {
                    final ByteBuffer b = ByteBuffer.allocate(field.width()).order(ByteOrder.nativeOrder());
                    if (field.width() == Long.BYTES)
                    {
                        b.putLong(0, value);
                    }
                    else
                    {
                        b.putInt(0, (int)value);
                    }
                    channel.write(b, field.offset());
                }
            }
        }

        @Override
        public List<Corruption> simpler()
        {
            final List<Corruption> simpler = new ArrayList<>();
            Simplifier.towards(value, 0L).forEach(v -> simpler.add(new PutField(field, v)));
            return simpler;
        }

        @Override
        public String toString()
        {
            return "set " + field + " to " + (field.width() == Long.BYTES ? value : (int)value) + " (0x" +
                (field.width() == Long.BYTES ? Long.toHexString(value) : Integer.toHexString((int)value)) + ")";
        }
    }

    /**
     * Sets the layout version to {@code SemanticVersion.compose(major, minor, patch)}; not all parts zero.
     */
    record SetVersion(int major, int minor, int patch) implements Corruption
    {
        @Override
        public void apply(final Path file, final FabricFileKind kind) throws IOException
        {
            new PutField(kind.versionField(), SemanticVersion.compose(major, minor, patch)).apply(file, kind);
        }

        @Override
        public List<Corruption> simpler()
        {
            final List<Corruption> simpler = new ArrayList<>();
            Simplifier.towards(major, 0).forEach(v -> simpler.add(new SetVersion(v, minor, patch)));
            Simplifier.towards(minor, 0).forEach(v -> simpler.add(new SetVersion(major, v, patch)));
            Simplifier.towards(patch, 0).forEach(v -> simpler.add(new SetVersion(major, minor, v)));
            simpler.removeIf(c -> c.equals(new SetVersion(0, 0, 0)));
            return simpler;
        }

        @Override
        public String toString()
        {
            return "set layout version to " + major + "." + minor + "." + patch;
        }
    }

    /**
     * Truncates the file to {@code length} bytes if it is longer.
     */
    record Truncate(long length) implements Corruption
    {
        @Override
        public void apply(final Path file, final FabricFileKind kind) throws IOException
        {
            try (FileChannel channel = open(file))
            {
                channel.truncate(length);
            }
        }

        @Override
        public List<Corruption> simpler()
        {
            final List<Corruption> simpler = new ArrayList<>();
            Simplifier.towards(length, 0L).forEach(v -> simpler.add(new Truncate(v)));
            return simpler;
        }

        @Override
        public String toString()
        {
            return "truncate to " + length + " bytes";
        }
    }

    /**
     * Appends {@code bytes} zero bytes (sparse).
     */
    record Extend(long bytes) implements Corruption
    {
        @Override
        public void apply(final Path file, final FabricFileKind kind) throws IOException
        {
            try (FileChannel channel = open(file))
            {
                channel.write(ByteBuffer.allocate(1), channel.size() + bytes - 1);
            }
        }

        @Override
        public List<Corruption> simpler()
        {
            final List<Corruption> simpler = new ArrayList<>();
            Simplifier.towards(bytes, 1L).forEach(v -> simpler.add(new Extend(v)));
            return simpler;
        }

        @Override
        public String toString()
        {
            return "extend by " + bytes + " bytes";
        }
    }

    /**
     * Resizes the file to the length its header implies, if that is between 0 and {@link #MAX_MATCHED_LENGTH}.
     */
    record MatchLength() implements Corruption
    {
        @Override
        public void apply(final Path file, final FabricFileKind kind) throws IOException
        {
            final long implied = kind.impliedLength(kind.readHeader(file));
            try (FileChannel channel = open(file))
            {
                if (implied >= 0 && implied <= MAX_MATCHED_LENGTH && implied != channel.size())
                {
                    if (implied < channel.size())
                    {
                        channel.truncate(implied);
                    }
                    else
                    {
                        channel.write(ByteBuffer.allocate(1), implied - 1);
                    }
                }
            }
        }

        @Override
        public List<Corruption> simpler()
        {
            return List.of();
        }

        @Override
        public String toString()
        {
            return "resize to the length the header implies";
        }
    }

    private static FileChannel open(final Path file) throws IOException
    {
        return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
}
