package io.farline.core.far;

import io.farline.core.parity.ErasureCodec;
import io.farline.core.parity.ReedSolomonCodec;
import io.farline.core.parity.XorCodec;

/**
 * How far memory protects its pages against the loss of memory hosts: none, XOR parity over k data pages (k + 1
 * hosts, one loss survived) or Reed-Solomon with m parity pages (k + m hosts, m losses survived). Immutable.
 */
public final class ParityScheme
{
    private static final ParityScheme NONE = new ParityScheme(1, 0, false);

    private final int dataShards;
    private final int parityShards;
    private final boolean reedSolomon;

    private ParityScheme(final int dataShards, final int parityShards, final boolean reedSolomon)
    {
        this.dataShards = dataShards;
        this.parityShards = parityShards;
        this.reedSolomon = reedSolomon;
    }

    /**
     * @return no parity: a host's death loses its pages (the default).
     */
    public static ParityScheme none()
    {
        return NONE;
    }

    /**
     * @param dataPages k, the data pages of a stripe, each on its own host, in {@code [2, 64]}.
     * @return XOR parity: one parity page per stripe on a further host.
     * @throws IllegalArgumentException if k is out of range.
     */
    public static ParityScheme xor(final int dataPages)
    {
        checkDataPages(dataPages);
        return new ParityScheme(dataPages, 1, false);
    }

    /**
     * @param dataPages   k, in {@code [2, 64]}.
     * @param parityPages m, in {@code [1, 8]}: the number of host losses survived.
     * @return Reed-Solomon parity: m parity pages per stripe, the k + m pages of a stripe on k + m distinct hosts.
     * @throws IllegalArgumentException if k or m is out of range.
     */
    public static ParityScheme reedSolomon(final int dataPages, final int parityPages)
    {
        checkDataPages(dataPages);
        if (parityPages < 1 || parityPages > 8)
        {
            throw new IllegalArgumentException("parity pages per stripe " + parityPages + " is outside 1..8");
        }
        return new ParityScheme(dataPages, parityPages, true);
    }

    private static void checkDataPages(final int dataPages)
    {
        if (dataPages < 2 || dataPages > 64)
        {
            throw new IllegalArgumentException("data pages per stripe " + dataPages + " is outside 2..64");
        }
    }

    /**
     * @return k, data pages per stripe (1 without parity).
     */
    public int dataPages()
    {
        return dataShards;
    }

    /**
     * @return m, parity pages per stripe, and host losses survived (0 without parity).
     */
    public int parityPages()
    {
        return parityShards;
    }

    /**
     * @return whether pages have parity at all.
     */
    public boolean enabled()
    {
        return parityShards > 0;
    }

    /**
     * @return memory used on the hosts per byte of data: {@code 1 + m / k}.
     */
    public double overhead()
    {
        return 1.0 + (double)parityShards / dataShards;
    }

    ErasureCodec codec(final int pageSizeBytes)
    {
        return reedSolomon ? new ReedSolomonCodec(dataShards, parityShards, pageSizeBytes) :
            new XorCodec(dataShards, pageSizeBytes);
    }

    @Override
    public String toString()
    {
        return !enabled() ? "none" : (reedSolomon ? "reed-solomon " : "xor ") + dataShards + "+" + parityShards;
    }
}
