package io.farline.core.far;

import io.farline.core.parity.ErasureCodec;
import io.farline.core.parity.MirrorCodec;
import io.farline.core.parity.ReedSolomonCodec;
import io.farline.core.parity.XorCodec;

/**
 * How far memory protects its pages against the loss of memory hosts: not at all, by parity (XOR over k data pages:
 * k + 1 hosts, one loss survived; Reed-Solomon with m parity pages: k + m hosts, m losses survived), or by keeping R
 * copies of every page on R hosts (R - 1 losses survived). Either way a page's group of pages lives on distinct
 * hosts, and a local frame is freed only once every one of them has confirmed its update. Immutable.
 */
public final class Redundancy
{
    /** Copies of a page with {@link #replicas()}: the page on two hosts. */
    public static final int DEFAULT_REPLICAS = 2;

    private enum Kind
    {
        NONE, XOR, REED_SOLOMON, REPLICAS
    }

    private static final Redundancy NONE = new Redundancy(Kind.NONE, 1, 0);

    private final Kind kind;
    private final int dataShards;
    private final int parityShards;

    private Redundancy(final Kind kind, final int dataShards, final int parityShards)
    {
        this.kind = kind;
        this.dataShards = dataShards;
        this.parityShards = parityShards;
    }

    /**
     * @return no redundancy: a host's death loses its pages (the default).
     */
    public static Redundancy none()
    {
        return NONE;
    }

    /**
     * @param dataPages k, the data pages of a stripe, each on its own host, in {@code [2, 64]}.
     * @return XOR parity: one parity page per stripe on a further host.
     * @throws IllegalArgumentException if k is out of range.
     */
    public static Redundancy xor(final int dataPages)
    {
        checkDataPages(dataPages);
        return new Redundancy(Kind.XOR, dataPages, 1);
    }

    /**
     * @param dataPages   k, in {@code [2, 64]}.
     * @param parityPages m, in {@code [1, 8]}: the number of host losses survived.
     * @return Reed-Solomon parity: m parity pages per stripe, the k + m pages of a stripe on k + m distinct hosts.
     * @throws IllegalArgumentException if k or m is out of range.
     */
    public static Redundancy reedSolomon(final int dataPages, final int parityPages)
    {
        checkDataPages(dataPages);
        if (parityPages < 1 || parityPages > 8)
        {
            throw new IllegalArgumentException("parity pages per stripe " + parityPages + " is outside 1..8");
        }
        return new Redundancy(Kind.REED_SOLOMON, dataPages, parityPages);
    }

    /**
     * @return {@link #DEFAULT_REPLICAS} copies of every page.
     */
    public static Redundancy replicas()
    {
        return replicas(DEFAULT_REPLICAS);
    }

    /**
     * @param copies R, the hosts holding each page, in {@code [2, 8]}; a frame is freed when all R confirmed.
     * @return replication: every page on R distinct hosts.
     * @throws IllegalArgumentException if R is out of range (R = 1 is {@link #none()}).
     */
    public static Redundancy replicas(final int copies)
    {
        if (copies < 2 || copies > 8)
        {
            throw new IllegalArgumentException("replica count " + copies + " is outside 2..8 (1 copy is none())");
        }
        return new Redundancy(Kind.REPLICAS, 1, copies - 1);
    }

    private static void checkDataPages(final int dataPages)
    {
        if (dataPages < 2 || dataPages > 64)
        {
            throw new IllegalArgumentException("data pages per stripe " + dataPages + " is outside 2..64");
        }
    }

    /**
     * @return k, data pages per stripe (1 without parity, and with replicas).
     */
    public int dataPages()
    {
        return dataShards;
    }

    /**
     * @return m, parity pages (or extra copies) per stripe, and the host losses survived (0 without redundancy).
     */
    public int parityPages()
    {
        return parityShards;
    }

    /**
     * @return whether pages are protected at all.
     */
    public boolean enabled()
    {
        return parityShards > 0;
    }

    /**
     * @return whether the protection is whole copies rather than parity.
     */
    public boolean isReplication()
    {
        return Kind.REPLICAS == kind;
    }

    /**
     * @return memory used on the hosts per byte of data: {@code 1 + m / k} (R for R replicas).
     */
    public double overhead()
    {
        return 1.0 + (double)parityShards / dataShards;
    }

    ErasureCodec codec(final int pageSizeBytes)
    {
        switch (kind)
        {
            case XOR:
                return new XorCodec(dataShards, pageSizeBytes);
            case REED_SOLOMON:
                return new ReedSolomonCodec(dataShards, parityShards, pageSizeBytes);
            case REPLICAS:
                return new MirrorCodec(parityShards, pageSizeBytes);
            default:
                throw new IllegalStateException("no codec without redundancy");
        }
    }

    @Override
    public String toString()
    {
        switch (kind)
        {
            case XOR:
                return "xor " + dataShards + "+1";
            case REED_SOLOMON:
                return "reed-solomon " + dataShards + "+" + parityShards;
            case REPLICAS:
                return (parityShards + 1) + " replicas";
            default:
                return "none";
        }
    }
}
