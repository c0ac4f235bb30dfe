package io.farline.core.parity;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Argument checks shared by the codecs, and the bulk byte loops: XOR eight bytes at a time through a
 * {@code long} view of the arrays, and multiply-accumulate through a row of the {@link Gf256#MUL} table.
 * <p>
 * The table loops index {@link Gf256#MUL} as {@code rowBase(c) + (b & 0xFF)}, where {@link #rowBase} masks the
 * coefficient to {@code [0, 256)}. That form is deliberate: C2 knows the length of a {@code static final} array and
 * the range of a masked and shifted {@code int}, so it can prove every index is in {@code [0, 65536)} and drops the
 * bounds check from the loop, which roughly doubles its speed on JDK 17. An index built as {@code (c << 8) | b}
 * from an unmasked coefficient keeps the check. Byte loops are not auto-vectorised on JDK 17 either way (a
 * GF(2^8) product needs a table gather or a byte right shift, neither of which C2's superword pass emits), so
 * the remaining gain comes from the pair loops, which read and write the output once for two sources.
 */
final class Shards
{
    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private Shards()
    {
    }

    static void checkGeometry(final int dataShards, final int parityShards, final int shardLength)
    {
        if (dataShards < 1)
        {
            throw new IllegalArgumentException("dataShards must be at least 1: " + dataShards);
        }
        if (parityShards < 1)
        {
            throw new IllegalArgumentException("parityShards must be at least 1: " + parityShards);
        }
        if (dataShards + parityShards > 256)
        {
            throw new IllegalArgumentException(
                "dataShards + parityShards must be at most 256: " + dataShards + " + " + parityShards);
        }
        if (shardLength < 1)
        {
            throw new IllegalArgumentException("shardLength must be at least 1: " + shardLength);
        }
    }

    static void checkShards(final String name, final byte[][] shards, final int count, final int shardLength)
    {
        if (null == shards)
        {
            throw new NullPointerException(name);
        }
        if (shards.length != count)
        {
            throw new IllegalArgumentException(name + " must hold " + count + " shards: " + shards.length);
        }
        for (int i = 0; i < count; i++)
        {
            final byte[] shard = shards[i];
            if (null == shard)
            {
                throw new NullPointerException(name + "[" + i + "]");
            }
            if (shard.length != shardLength)
            {
                throw new IllegalArgumentException(
                    name + "[" + i + "] must be " + shardLength + " bytes: " + shard.length);
            }
        }
    }

    /**
     * Checks the stripe passed to decode and returns the number of missing shards, failing if it exceeds
     * {@code parityShards}.
     */
    static int checkStripe(
        final byte[][] shards, final boolean[] present, final int dataShards, final int parityShards,
        final int shardLength)
    {
        final int total = dataShards + parityShards;
        checkShards("shards", shards, total, shardLength);
        if (null == present)
        {
            throw new NullPointerException("present");
        }
        if (present.length != total)
        {
            throw new IllegalArgumentException("present must hold " + total + " flags: " + present.length);
        }
        int missing = 0;
        for (int i = 0; i < total; i++)
        {
            if (!present[i])
            {
                missing++;
            }
        }
        if (missing > parityShards)
        {
            final StringBuilder lost = new StringBuilder();
            for (int i = 0; i < total; i++)
            {
                if (!present[i])
                {
                    lost.append(0 == lost.length() ? "" : ", ").append(i < dataShards ? "data " : "parity ")
                        .append(i < dataShards ? i : i - dataShards).append(" (shard ").append(i).append(')');
                }
            }
            throw new IllegalArgumentException(
                "cannot decode: " + missing + " shards lost but at most " + parityShards + " can be rebuilt; lost: " +
                lost);
        }
        return missing;
    }

    static void checkUpdate(
        final int dataIndex, final byte[] oldData, final byte[] newData, final int offset, final int length,
        final int dataShards, final int shardLength)
    {
        if (dataIndex < 0 || dataIndex >= dataShards)
        {
            throw new IllegalArgumentException("dataIndex must be in [0, " + dataShards + "): " + dataIndex);
        }
        if (null == oldData)
        {
            throw new NullPointerException("oldData");
        }
        if (null == newData)
        {
            throw new NullPointerException("newData");
        }
        if (offset < 0 || length < 0 || offset > shardLength - length)
        {
            throw new IllegalArgumentException(
                "range [" + offset + ", " + offset + " + " + length + ") is outside the shard of " + shardLength +
                " bytes");
        }
        if (oldData.length < offset + length)
        {
            throw new IllegalArgumentException(
                "oldData must be at least " + (offset + length) + " bytes: " + oldData.length);
        }
        if (newData.length < offset + length)
        {
            throw new IllegalArgumentException(
                "newData must be at least " + (offset + length) + " bytes: " + newData.length);
        }
    }

    /** {@code dst[i] = src[i]} for i in [offset, offset + length). */
    static void copy(final byte[] src, final byte[] dst, final int offset, final int length)
    {
        System.arraycopy(src, offset, dst, offset, length);
    }

    /** {@code dst[i] ^= src[i]} for i in [offset, offset + length). */
    static void xorInto(final byte[] src, final byte[] dst, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        for (final int longEnd = end - 7; i < longEnd; i += 8)
        {
            LONGS.set(dst, i, (long)LONGS.get(dst, i) ^ (long)LONGS.get(src, i));
        }
        for (; i < end; i++)
        {
            dst[i] ^= src[i];
        }
    }

    /** {@code dst[i] ^= a[i] ^ b[i]} for i in [offset, offset + length). */
    static void xorInto(final byte[] a, final byte[] b, final byte[] dst, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        for (final int longEnd = end - 7; i < longEnd; i += 8)
        {
            LONGS.set(dst, i, (long)LONGS.get(dst, i) ^ (long)LONGS.get(a, i) ^ (long)LONGS.get(b, i));
        }
        for (; i < end; i++)
        {
            dst[i] ^= (byte)(a[i] ^ b[i]);
        }
    }

    /**
     * @param coefficient in {@code [0, 256)}.
     * @return the offset of the coefficient's 256-byte row in {@link Gf256#MUL}; masked so that C2 can bound the
     * table index (see the class comment).
     */
    static int rowBase(final int coefficient)
    {
        return (coefficient & 0xFF) << 8;
    }

    /** {@code dst[i] = coefficient * src[i]} for i in [offset, offset + length). */
    static void mul(final int coefficient, final byte[] src, final byte[] dst, final int offset, final int length)
    {
        if (1 == coefficient)
        {
            copy(src, dst, offset, length);
            return;
        }
        final byte[] table = Gf256.MUL;
        final int row = rowBase(coefficient);
        final int end = offset + length;
        for (int i = offset; i < end; i++)
        {
            dst[i] = table[row + (src[i] & 0xFF)];
        }
    }

    /** {@code dst[i] ^= coefficient * src[i]} for i in [offset, offset + length). */
    static void mulXorInto(
        final int coefficient, final byte[] src, final byte[] dst, final int offset, final int length)
    {
        if (0 == coefficient)
        {
            return;
        }
        if (1 == coefficient)
        {
            xorInto(src, dst, offset, length);
            return;
        }
        final byte[] table = Gf256.MUL;
        final int row = rowBase(coefficient);
        final int end = offset + length;
        for (int i = offset; i < end; i++)
        {
            dst[i] ^= table[row + (src[i] & 0xFF)];
        }
    }

    /** {@code dst[i] = c0 * src0[i] ^ c1 * src1[i]} for i in [offset, offset + length). */
    static void mulPair(
        final int c0, final byte[] src0, final int c1, final byte[] src1, final byte[] dst, final int offset,
        final int length)
    {
        final byte[] table = Gf256.MUL;
        final int row0 = rowBase(c0);
        final int row1 = rowBase(c1);
        final int end = offset + length;
        for (int i = offset; i < end; i++)
        {
            dst[i] = (byte)(table[row0 + (src0[i] & 0xFF)] ^ table[row1 + (src1[i] & 0xFF)]);
        }
    }

    /** {@code dst[i] ^= c0 * src0[i] ^ c1 * src1[i]} for i in [offset, offset + length). */
    static void mulPairXorInto(
        final int c0, final byte[] src0, final int c1, final byte[] src1, final byte[] dst, final int offset,
        final int length)
    {
        final byte[] table = Gf256.MUL;
        final int row0 = rowBase(c0);
        final int row1 = rowBase(c1);
        final int end = offset + length;
        for (int i = offset; i < end; i++)
        {
            dst[i] ^= (byte)(table[row0 + (src0[i] & 0xFF)] ^ table[row1 + (src1[i] & 0xFF)]);
        }
    }

    /** {@code dst[i] ^= coefficient * (a[i] ^ b[i])} for i in [offset, offset + length). */
    static void mulDeltaXorInto(
        final int coefficient, final byte[] a, final byte[] b, final byte[] dst, final int offset, final int length)
    {
        if (1 == coefficient)
        {
            xorInto(a, b, dst, offset, length);
            return;
        }
        final byte[] table = Gf256.MUL;
        final int row = rowBase(coefficient);
        final int end = offset + length;
        for (int i = offset; i < end; i++)
        {
            dst[i] ^= table[row + ((a[i] ^ b[i]) & 0xFF)];
        }
    }
}
