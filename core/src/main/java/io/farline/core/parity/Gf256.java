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

    /**
     * Inverts a square matrix in place by Gauss-Jordan elimination.
     *
     * @param matrix  n x n, destroyed.
     * @param inverse n x n, overwritten with the inverse.
     * @return false if the matrix is singular.
     */
    static boolean invert(final int[][] matrix, final int[][] inverse)
    {
        final int n = matrix.length;
        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                inverse[r][c] = r == c ? 1 : 0;
            }
        }
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            while (pivot < n && 0 == matrix[pivot][col])
            {
                pivot++;
            }
            if (pivot == n)
            {
                return false;
            }
            swap(matrix, col, pivot);
            swap(inverse, col, pivot);
            final int scale = inv(matrix[col][col]);
            scaleRow(matrix[col], scale);
            scaleRow(inverse[col], scale);
            for (int r = 0; r < n; r++)
            {
                final int factor = matrix[r][col];
                if (r != col && 0 != factor)
                {
                    for (int c = 0; c < n; c++)
                    {
                        matrix[r][c] ^= mul(factor, matrix[col][c]);
                        inverse[r][c] ^= mul(factor, inverse[col][c]);
                    }
                }
            }
        }
        return true;
    }

    private static void swap(final int[][] rows, final int a, final int b)
    {
        final int[] tmp = rows[a];
        rows[a] = rows[b];
        rows[b] = tmp;
    }

    private static void scaleRow(final int[] row, final int scale)
    {
        for (int c = 0; c < row.length; c++)
        {
            row[c] = mul(row[c], scale);
        }
    }
}
