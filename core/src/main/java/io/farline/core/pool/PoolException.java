package io.farline.core.pool;

/**
 * The pool could not do what was asked: no controller, a refused allocation (the message says what is free where),
 * or no answer in time.
 */
public final class PoolException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong.
     */
    public PoolException(final String message)
    {
        super(message);
    }
}
