package io.farline.core.far;

/**
 * Far memory could not serve an access or finish a write-back: a host died or stopped answering. The message names
 * the page, the host and what failed. Nothing is silently lost: the access or flush that throws did not complete, and
 * the local cache keeps every dirty line it could not write back.
 */
public final class FarMemoryException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed.
     */
    public FarMemoryException(final String message)
    {
        super(message);
    }

    /**
     * @param message what failed.
     * @param cause   the failure this one adds context to.
     */
    public FarMemoryException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
