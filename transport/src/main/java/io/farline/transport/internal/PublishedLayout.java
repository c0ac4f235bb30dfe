package io.farline.transport.internal;

import io.farline.transport.FabricFileException;
import org.agrona.SemanticVersion;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What every file a node publishes in a fabric (control file, region file, lane file) has in common, and the opening
 * checks that follow from it: the file is mapped, must hold at least its header, and is published by a release store of
 * its layout version after every other header field; an attacher acquires the version (waiting a while for a node
 * still writing the file), then checks the magic and the major version. Each check refuses the file with a
 * {@link FabricFileException} that names the values found.
 *
 * @param kind          what the file is, for messages, e.g. "control file".
 * @param magic         the magic number.
 * @param magicOffset   where the magic is.
 * @param versionOffset where the layout version is.
 * @param majorVersion  the major version this code reads.
 * @param headerLength  the header's length: the shortest file that can be checked.
 * @param writer        what writes the file, for the message on an unpublished one, e.g. "a node that died while
 *                      starting".
 */
public record PublishedLayout(
    String kind, long magic, int magicOffset, int versionOffset, int majorVersion, int headerLength, String writer)
{
    /**
     * Maps a file for attaching.
     *
     * @param file          to map.
     * @param missingReason what a missing file means, for the message.
     * @return the mapping.
     * @throws FabricFileException if it is missing or cannot be mapped.
     */
    public MappedByteBuffer map(final Path file, final String missingReason)
    {
        try
        {
            return SharedFiles.mapExisting(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new FabricFileException(file, "no such " + kind + " (" + missingReason + ")", ex);
        }
        catch (final IOException ex)
        {
            throw new FabricFileException(file, "cannot map: " + ex.getMessage(), ex);
        }
    }

    /**
     * Checks a mapped file's length, publication, magic and major version.
     *
     * @param file      the file, for messages.
     * @param mapping   its mapping.
     * @param timeoutMs how long to wait for an unpublished file to be published.
     * @return the header, checked.
     * @throws FabricFileException if a check fails.
     */
    public UnsafeBuffer checkHeader(final Path file, final MappedByteBuffer mapping, final long timeoutMs)
    {
        final long fileLength = mapping.capacity();
        if (fileLength < headerLength)
        {
            throw new FabricFileException(file, "truncated: length " + fileLength + " is shorter than the header (" +
                headerLength + ")");
        }
        final UnsafeBuffer header = new UnsafeBuffer(mapping, 0, headerLength);
        final int version = awaitVersion(header, timeoutMs);
        if (0 == version)
        {
            throw new FabricFileException(file, "layout version not published within " + timeoutMs + " ms: " +
                writer + ", or a file still being written", true);
        }
        final long foundMagic = header.getLong(magicOffset);
        if (magic != foundMagic)
        {
            throw new FabricFileException(file, "bad magic 0x" + Long.toHexString(foundMagic) + " (expected 0x" +
                Long.toHexString(magic) + "): not a Farline " + kind);
        }
        if (SemanticVersion.major(version) != majorVersion)
        {
            throw new FabricFileException(file, "layout version " + SemanticVersion.toString(version) +
                " has major version " + SemanticVersion.major(version) + "; this code reads major version " +
                majorVersion);
        }
        return header;
    }

    /**
     * Checks that a file is as long as its header says.
     *
     * @param file     the file, for messages.
     * @param found    its length.
     * @param expected the length its header implies.
     * @param because  what in the header implies it, for the message, e.g. "for data length 4096"; may be empty.
     * @throws FabricFileException if the lengths differ.
     */
    public static void checkLength(final Path file, final long found, final long expected, final String because)
    {
        if (found != expected)
        {
            throw new FabricFileException(file, "length " + found + " does not match its header (expected " +
                expected + (because.isEmpty() ? "" : " " + because) + "): truncated or extended");
        }
    }

    private int awaitVersion(final UnsafeBuffer header, final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        int version;
        // Acquire pairs with the creator's release store of the version: the fields written before it are visible.
        while (0 == (version = header.getIntAcquire(versionOffset)) && deadlineNs - System.nanoTime() > 0)
        {
            Thread.yield();
        }
        return version;
    }
}
