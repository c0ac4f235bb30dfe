package io.farline.transport;

/**
 * An optional model of the network between nodes: a base latency and a bandwidth that delay completions, so that an
 * experiment on one machine can stand for an RDMA fabric. Off ({@link #NONE}) by default.
 * <p>
 * A queue pair's requests are serialised on its link: a request's transfer starts when the link is free, takes
 * {@code bytes / bandwidth}, and completes a round trip ({@code 2 * latency}: the request out, the response or
 * acknowledgement back) after the transfer ends, and never before an earlier
 * request of the same queue pair. The data itself moves at post time (RDMA leaves a READ's local buffer undefined
 * until completion, so this is allowed); only completions are delayed. SEND is not delayed.
 *
 * @param latencyNs               one-way base latency per request, ns; 0 for none.
 * @param bandwidthBytesPerSecond link bandwidth; 0 for unlimited.
 */
public record LinkModel(long latencyNs, long bandwidthBytesPerSecond)
{
    /** No link model: completions are ready when posted. */
    public static final LinkModel NONE = new LinkModel(0, 0);

    /**
     * @param latencyNs               one-way base latency per request, ns; 0 for none.
     * @param bandwidthBytesPerSecond link bandwidth; 0 for unlimited.
     */
    public LinkModel
    {
        if (latencyNs < 0 || bandwidthBytesPerSecond < 0)
        {
            throw new IllegalArgumentException("link model latency " + latencyNs + " ns and bandwidth " +
                bandwidthBytesPerSecond + " B/s must not be negative");
        }
    }

    /**
     * @return true if completions are delayed at all.
     */
    public boolean isEnabled()
    {
        return latencyNs > 0 || bandwidthBytesPerSecond > 0;
    }

    /**
     * @param bytes transferred by a request.
     * @return time the transfer occupies the link, ns.
     */
    public long transferTimeNs(final long bytes)
    {
        return bandwidthBytesPerSecond == 0 ? 0 : (long)(bytes * (1e9 / bandwidthBytesPerSecond));
    }
}
