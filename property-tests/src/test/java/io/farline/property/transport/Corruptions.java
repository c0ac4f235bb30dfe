package io.farline.property.transport;

import io.farline.property.harness.Gen;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws {@link Corruption}s of one kind of file: byte flips concentrated on the header's fields, field values near
 * validity and at the extremes, newer and older layout versions, truncation to lengths inside and outside the
 * header, extension (now and then past what can be mapped), and resizing to match a corrupted header.
 */
final class Corruptions
{
    private static final long UNMAPPABLE_BYTES = 1L << 31;

    private Corruptions()
    {
    }

    static Gen<Corruption> any(final FabricFileKind kind)
    {
        final List<HeaderField> sizes = kind.fields().stream().filter(HeaderField::isSize).toList();
        final int fieldsEnd = kind.fields().stream().mapToInt(f -> f.offset() + f.width()).max().orElseThrow();
        return random ->
        {
            final int choice = random.nextInt(100);
            if (choice < 25)
            {
                final int offset = random.nextInt(4) == 0 ?
                    random.nextInt(0, kind.headerLength() + 64) : random.nextInt(0, fieldsEnd + 8);
                return new Corruption.FlipByte(offset, random.nextInt(1, 256));
            }
            if (choice < 55)
            {
                final List<HeaderField> fields = random.nextBoolean() ? sizes : kind.fields();
                return putField(random, fields.get(random.nextInt(fields.size())));
            }
            if (choice < 65)
            {
                final int major = random.nextInt(4) == 0 ? random.nextInt(0, 2) : random.nextInt(2, 256);
                final int minor = random.nextInt(0, 256);
                final int patch = random.nextInt(0, 256);
                return major + minor + patch == 0 ? new Corruption.SetVersion(2, 0, 0) :
                    new Corruption.SetVersion(major, minor, patch);
            }
            if (choice < 75)
            {
                return new Corruption.Truncate(truncatedLength(random, kind.headerLength()));
            }
            if (choice < 82)
            {
                return new Corruption.Extend(random.nextInt(40) == 0 ? UNMAPPABLE_BYTES : random.nextInt(1, 8193));
            }
            return new Corruption.MatchLength();
        };
    }

    private static Corruption putField(final SplittableRandom random, final HeaderField field)
    {
        final long value;
        if (random.nextInt(5) < 3)
        {
            value = field.interesting().get(random.nextInt(field.interesting().size()));
        }
        else
        {
            value = field.width() == Long.BYTES ? random.nextLong() : random.nextInt();
        }
        return new Corruption.PutField(field, value);
    }

    private static long truncatedLength(final SplittableRandom random, final int headerLength)
    {
        switch (random.nextInt(6))
        {
            case 0:
                return 0;
            case 1:
                return headerLength - 1;
            case 2:
                return headerLength;
            case 3:
                return random.nextInt(headerLength, headerLength + 100_000);
            default:
                return random.nextInt(1, headerLength);
        }
    }
}
