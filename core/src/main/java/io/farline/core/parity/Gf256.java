package io.farline.core.parity;

/**
 * Arithmetic in GF(2^8) with the reduction polynomial x^8 + x^4 + x^3 + x^2 + 1 ({@code 0x11D}), generator 2.
 * Addition is XOR. Multiplication goes through log/exp tables, or for bulk work the full 256 x 256 product table
 * {@link #MUL} (64 KiB): the product {@code a * b} is {@code MUL[(a << 8) | b]}.
 */
final class Gf256
{
    /** The reduction polynomial. */
    static final int POLYNOMIAL = 0x11D;
    /** Product table: {@code MUL[(a << 8) | b] == a * b}. */
    static final byte[] MUL = new byte[256 * 256];

    private static final int[] EXP = new int[512];
    private static final int[] LOG = new int[256];

    static
    {
        int x = 1;
        for (int i = 0; i < 255; i++)
        {
            EXP[i] = x;
            LOG[x] = i;
            x <<= 1;
            if (0 != (x & 0x100))
            {
                x ^= POLYNOMIAL;
            }
        }
        for (int i = 255; i < EXP.length; i++)
        {
            EXP[i] = EXP[i - 255];
        }
        for (int a = 0; a < 256; a++)
        {
            for (int b = 0; b < 256; b++)
            {
                MUL[(a << 8) | b] = (byte)mul(a, b);
            }
        }
    }

    private Gf256()
    {
    }

    /**
     * @return {@code a * b}, both in {@code [0, 256)}.
     */
    static int mul(final int a, final int b)
    {
        if (0 == a || 0 == b)
        {
            return 0;
        }
        return EXP[LOG[a] + LOG[b]];
    }

    /**
     * @return the multiplicative inverse of {@code a}, which must be in {@code [1, 256)}.
     */
    static int inv(final int a)
    {
        if (0 == a)
        {
            throw new ArithmeticException("0 has no inverse in GF(256)");
        }
        return EXP[255 - LOG[a]];
    }
}
