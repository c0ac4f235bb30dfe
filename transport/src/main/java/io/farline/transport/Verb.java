package io.farline.transport;

/**
 * The verbs of the transport: one-sided READ, WRITE, COMPARE_AND_SWAP and FETCH_AND_ADD on a peer's registered
 * region, and two-sided SEND / RECV of messages through send lanes announced in a node's inbox.
 */
public enum Verb
{
    /** One-sided read of a peer's region into a local buffer. */
    READ(AccessFlags.REMOTE_READ),
    /** One-sided write of a local buffer into a peer's region. */
    WRITE(AccessFlags.REMOTE_WRITE),
    /** One-sided 8-byte compare-and-swap on a peer's region. */
    COMPARE_AND_SWAP(AccessFlags.REMOTE_ATOMIC),
    /** One-sided 8-byte fetch-and-add on a peer's region. */
    FETCH_AND_ADD(AccessFlags.REMOTE_ATOMIC),
    /** A message sent to a peer, through the queue pair's lane. */
    SEND(0),
    /** A message received by this node, from one of its lanes. */
    RECV(0);

    private static final Verb[] VALUES = values();

    private final int requiredAccess;

    Verb(final int requiredAccess)
    {
        this.requiredAccess = requiredAccess;
    }

    /**
     * @return the {@link AccessFlags} a region must grant for this verb, 0 for two-sided verbs.
     */
    public int requiredAccess()
    {
        return requiredAccess;
    }

    /**
     * @param ordinal of a verb.
     * @return the verb, without the allocation of {@link #values()}.
     */
    public static Verb get(final int ordinal)
    {
        return VALUES[ordinal];
    }

    /**
     * @return the number of verbs.
     */
    public static int count()
    {
        return VALUES.length;
    }
}
