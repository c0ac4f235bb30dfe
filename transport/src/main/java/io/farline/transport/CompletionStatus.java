package io.farline.transport;

/**
 * Status of a completed work request, modelled on {@code ibv_wc_status}. Statuses are {@code int} constants so that
 * completion handling allocates nothing.
 */
public final class CompletionStatus
{
    /** The work request completed. */
    public static final int SUCCESS = 0;
    /**
     * The peer refused access: the rkey does not match, the region is deregistered, or the registration's access
     * flags do not allow the verb ({@code IBV_WC_REM_ACCESS_ERR}).
     */
    public static final int REMOTE_ACCESS_ERROR = 1;
    /**
     * The request is invalid for the region: offset or length out of range, or an atomic on an offset that is not
     * 8-byte aligned ({@code IBV_WC_REM_INV_REQ_ERR}).
     */
    public static final int REMOTE_INVALID_REQUEST = 2;
    /** The peer is dead or closed; writes and atomics are refused ({@code IBV_WC_RETRY_EXC_ERR}). */
    public static final int PEER_DEAD = 3;

    private CompletionStatus()
    {
    }

    /**
     * @param status a status code.
     * @return its name, or {@code UNKNOWN(n)}.
     */
    public static String name(final int status)
    {
        switch (status)
        {
            case SUCCESS:
                return "SUCCESS";
            case REMOTE_ACCESS_ERROR:
                return "REMOTE_ACCESS_ERROR";
            case REMOTE_INVALID_REQUEST:
                return "REMOTE_INVALID_REQUEST";
            case PEER_DEAD:
                return "PEER_DEAD";
            default:
                return "UNKNOWN(" + status + ")";
        }
    }
}
