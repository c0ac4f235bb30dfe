package io.farline.transport;

/**
 * Access flags of a memory registration, modelled on {@code ibv_reg_mr}'s {@code IBV_ACCESS_*} flags. Combine
 * with bitwise or. As with verbs, remote write and remote atomic access require local write.
 */
public final class AccessFlags
{
    /** The owner may write the region locally. */
    public static final int LOCAL_WRITE = 1;
    /** Peers may READ the region. */
    public static final int REMOTE_READ = 1 << 1;
    /** Peers may WRITE the region. */
    public static final int REMOTE_WRITE = 1 << 2;
    /** Peers may compare-and-swap and fetch-and-add on the region. */
    public static final int REMOTE_ATOMIC = 1 << 3;
    /** Every access. */
    public static final int ALL = LOCAL_WRITE | REMOTE_READ | REMOTE_WRITE | REMOTE_ATOMIC;

    private AccessFlags()
    {
    }

    /**
     * Checks a combination of flags.
     *
     * @param flags to check.
     * @return null if valid, else what is wrong.
     */
    public static String check(final int flags)
    {
        if ((flags & ~ALL) != 0)
        {
            return "access flags 0x" + Integer.toHexString(flags) + " have unknown bits (known: 0x" +
                Integer.toHexString(ALL) + ")";
        }
        if ((flags & (REMOTE_WRITE | REMOTE_ATOMIC)) != 0 && (flags & LOCAL_WRITE) == 0)
        {
            return "access flags " + toString(flags) + " allow remote write or atomic access without LOCAL_WRITE";
        }
        return null;
    }

    /**
     * @param flags a combination of flags.
     * @return the flags by name, e.g. {@code LOCAL_WRITE|REMOTE_READ}.
     */
    public static String toString(final int flags)
    {
        final StringBuilder sb = new StringBuilder();
        append(sb, flags, LOCAL_WRITE, "LOCAL_WRITE");
        append(sb, flags, REMOTE_READ, "REMOTE_READ");
        append(sb, flags, REMOTE_WRITE, "REMOTE_WRITE");
        append(sb, flags, REMOTE_ATOMIC, "REMOTE_ATOMIC");
        return sb.length() == 0 ? "NONE" : sb.toString();
    }

    private static void append(final StringBuilder sb, final int flags, final int flag, final String name)
    {
        if ((flags & flag) != 0)
        {
            if (sb.length() > 0)
            {
                sb.append('|');
            }
            sb.append(name);
        }
    }
}
