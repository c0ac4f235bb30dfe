package io.farline.transport;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * The counters a node keeps in its control file, by verb: operations, bytes and errors. Outside tools
 * ({@code ./farline stat}) read them while the node runs, and after it died.
 * <p>
 * Each queue pair has its own operation and byte counters, written only by the queue pair's thread with a plain
 * load and a plain store: no atomic instruction and no fence on the hot path. A counter publishes nothing but
 * itself, so a reader (which loads it with volatile semantics) may see a value a little late, never a torn one
 * (aligned 8-byte stores are single-copy atomic on the 64-bit platforms Farline runs on). Errors, RECV and the
 * totals of closed queue pairs are node-wide: errors and closed totals are rare and use atomic adds; RECV has the
 * node's single receiving thread.
 * A node's total for a verb is the sum of all counters with that verb's type id.
 */
public final class VerbCounters
{
    /** Kind: operations. */
    public static final int OPS = 0;
    /** Kind: bytes. */
    public static final int BYTES = 1;
    /** Kind: errors. */
    public static final int ERRORS = 2;

    private static final int TYPE_ID_BASE = 1000;
    private static final int KINDS = 4;

    private VerbCounters()
    {
    }

    /**
     * @param verb a verb.
     * @param kind {@link #OPS}, {@link #BYTES} or {@link #ERRORS}.
     * @return the counter type id for them.
     */
    public static int typeId(final Verb verb, final int kind)
    {
        return TYPE_ID_BASE + verb.ordinal() * KINDS + kind;
    }

    /**
     * @param typeId a counter type id.
     * @return the verb it counts, or null if it is not a verb counter.
     */
    public static Verb verbOf(final int typeId)
    {
        final int index = typeId - TYPE_ID_BASE;
        return index < 0 || index >= Verb.count() * KINDS || index % KINDS > ERRORS ? null : Verb.get(index / KINDS);
    }

    /**
     * @param typeId a verb counter type id.
     * @return its kind.
     */
    public static int kindOf(final int typeId)
    {
        return (typeId - TYPE_ID_BASE) % KINDS;
    }

    /**
     * Sums a node's counters by verb and kind. Only each record's state, type id and value are read, never its label:
     * the totals of a control file whose labels are corrupt are still right, and a corrupt label length cannot make
     * this allocate what the file says (which Agrona's {@code forEach}, decoding every label, would). Records are
     * read up to the first unused one, as Agrona allocates them in order.
     *
     * @param reader over the node's counters.
     * @return totals indexed [verb ordinal][kind].
     */
    public static long[][] totals(final CountersReader reader)
    {
        final long[][] totals = new long[Verb.count()][3];
        final int records = Math.min(reader.maxCounterId() + 1,
            reader.metaDataBuffer().capacity() / CountersReader.METADATA_LENGTH);
        for (int counterId = 0; counterId < records; counterId++)
        {
            final int state = reader.getCounterState(counterId);
            if (CountersReader.RECORD_UNUSED == state)
            {
                break;
            }
            if (CountersReader.RECORD_ALLOCATED == state)
            {
                final int typeId = reader.getCounterTypeId(counterId);
                final Verb verb = verbOf(typeId);
                if (null != verb)
                {
                    totals[verb.ordinal()][kindOf(typeId)] += reader.getCounterValue(counterId);
                }
            }
        }
        return totals;
    }

    static AtomicCounter allocate(final CountersManager manager, final String owner, final Verb verb, final int kind)
    {
        final String kindName = kind == OPS ? "ops" : kind == BYTES ? "bytes" : "errors";
        return manager.newCounter(owner + " " + verb + " " + kindName, typeId(verb, kind));
    }
}
