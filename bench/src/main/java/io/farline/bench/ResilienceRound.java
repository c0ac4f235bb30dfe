package io.farline.bench;

/**
 * What one round of the resilience trial ({@link ResilienceTrialMain}) measured on far memory with XOR 3+1 parity:
 * the parity traffic of random updates, line-granular against whole pages; the p50 latency of a miss served
 * normally and of one served degraded after a host was killed; and the time the rebuild took. The child prints one
 * line per round ({@link #format()}), the runner parses it back ({@link #parse(String)}).
 *
 * @param round             the round, from 0.
 * @param lineParityBytes   bytes moved to keep parity current ({@code FarMemory.parityUpdateBytes()}).
 * @param pageParityBytes   what whole-page parity updates would have moved ({@code pageParityUpdateBytes()}).
 * @param normalReadP50Ns   p50 of misses served from the page's host.
 * @param degradedReadP50Ns p50 of misses on the killed host's pages, served degraded.
 * @param degradedSamples   misses in {@code degradedReadP50Ns}.
 * @param rebuiltBytes      bytes the rebuild step made whole again.
 * @param rebuildNs         wall time of the rebuild step.
 */
record ResilienceRound(int round, long lineParityBytes, long pageParityBytes, long normalReadP50Ns,
    long degradedReadP50Ns, int degradedSamples, long rebuiltBytes, long rebuildNs)
{
    /** What every round's line starts with. */
    static final String PREFIX = "ROUND";

    /**
     * @return the line the child prints.
     */
    String format()
    {
        return PREFIX + " round=" + round + " lineParityBytes=" + lineParityBytes + " pageParityBytes=" +
            pageParityBytes + " normalReadP50Ns=" + normalReadP50Ns + " degradedReadP50Ns=" + degradedReadP50Ns +
            " degradedSamples=" + degradedSamples + " rebuiltBytes=" + rebuiltBytes + " rebuildNs=" + rebuildNs;
    }

    /**
     * @return seconds the rebuild would take per GiB at the measured rate.
     */
    double rebuildSecondsPerGib()
    {
        return rebuildNs / 1e9 / (rebuiltBytes / (double)(1L << 30));
    }

    /**
     * @param line a line printed by {@link #format()}.
     * @return the round.
     * @throws IllegalArgumentException if the line is not one, naming what is wrong.
     */
    static ResilienceRound parse(final String line)
    {
        final FieldLine fields = FieldLine.parse(PREFIX, line);
        return new ResilienceRound(
            (int)fields.longValue("round"),
            fields.longValue("lineParityBytes"),
            fields.longValue("pageParityBytes"),
            fields.longValue("normalReadP50Ns"),
            fields.longValue("degradedReadP50Ns"),
            (int)fields.longValue("degradedSamples"),
            fields.longValue("rebuiltBytes"),
            fields.longValue("rebuildNs"));
    }
}
