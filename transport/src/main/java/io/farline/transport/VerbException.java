package io.farline.transport;

/**
 * A work request posted through a blocking convenience call completed with an error status. The message names the
 * verb, the target and what was wrong.
 */
public final class VerbException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status  the {@link CompletionStatus} code.
     * @param message what failed and why.
     */
    public VerbException(final int status, final String message)
    {
        super(message);
        this.status = status;
    }

    /**
     * @return the {@link CompletionStatus} code of the failed work request.
     */
    public int status()
    {
        return status;
    }
}
