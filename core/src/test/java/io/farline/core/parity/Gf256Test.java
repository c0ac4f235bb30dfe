package io.farline.core.parity;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Gf256Test
{
    /** Carry-less multiply then reduce by 0x11D: the definition the tables must agree with. */
    private static int slowMul(final int a, final int b)
    {
        int product = 0;
        for (int bit = 0; bit < 8; bit++)
        {
            if (0 != (b & (1 << bit)))
            {
                product ^= a << bit;
            }
        }
        for (int bit = 15; bit >= 8; bit--)
        {
            if (0 != (product & (1 << bit)))
            {
                product ^= Gf256.POLYNOMIAL << (bit - 8);
            }
        }
        return product;
    }

    @Test
    void shouldAgreeWithCarryLessMultiplicationForEveryPair()
    {
        for (int a = 0; a < 256; a++)
        {
            for (int b = 0; b < 256; b++)
            {
                final int expected = slowMul(a, b);
                assertEquals(expected, Gf256.mul(a, b), a + "*" + b);
                assertEquals(expected, Gf256.MUL[(a << 8) | b] & 0xFF, a + "*" + b + " table");
            }
        }
        assertEquals(0x1D, Gf256.mul(2, 0x80));
    }

    @Test
    void shouldInvertEveryNonZeroElement()
    {
        for (int a = 1; a < 256; a++)
        {
            assertEquals(1, Gf256.mul(a, Gf256.inv(a)), "inverse of " + a);
        }
        assertThrows(ArithmeticException.class, () -> Gf256.inv(0));
    }
}
