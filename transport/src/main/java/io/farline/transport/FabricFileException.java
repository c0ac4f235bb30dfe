package io.farline.transport;

import java.nio.file.Path;

/**
 * A file in a fabric directory was refused at open: it is stale, foreign, corrupt, truncated or of a newer major
 * layout version. The message names the file and what was wrong with it; nothing in the file was trusted.
 */
public final class FabricFileException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final boolean unpublished;

    /**
     * @param file   that was refused.
     * @param reason what was wrong, with the values found.
     */
    public FabricFileException(final Path file, final String reason)
    {
        this(file, reason, false);
    }

    /**
     * @param file        that was refused.
     * @param reason      what was wrong, with the values found.
     * @param unpublished true if the file's layout version was not yet published: a node may still be creating it.
     */
    public FabricFileException(final Path file, final String reason, final boolean unpublished)
    {
        super("refused " + file + ": " + reason);
        this.file = file;
        this.unpublished = unpublished;
    }

    /**
     * @param file   that was refused.
     * @param reason what was wrong.
     * @param cause  the underlying failure.
     */
    public FabricFileException(final Path file, final String reason, final Throwable cause)
    {
        super("refused " + file + ": " + reason, cause);
        this.file = file;
        this.unpublished = false;
    }

    /**
     * @return the file that was refused.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return true if the file was refused only because its layout version was not yet published, so that a node
     * still creating it may yet publish it.
     */
    public boolean isUnpublished()
    {
        return unpublished;
    }
}
