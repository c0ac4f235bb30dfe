package io.farline.cli;

/**
 * A bad command line: the message says what was wrong; the command exits with {@link FarlineMain#EXIT_USAGE}.
 */
public final class UsageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the command line.
     */
    public UsageException(final String message)
    {
        super(message);
    }
}
