package io.farline.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * A full memory barrier executed by every running thread of this process, on demand of one thread: Linux's
 * {@code membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)}, reached through a small JNI library built with the core.
 * <p>
 * Why it exists: dirty tracking's fast path is a plain store of the data followed by a plain load of the dirty bit.
 * A drainer that swaps the bit to zero and then reads the data is the store-buffer litmus test: without a fence
 * between the writer's store and its load, the writer can see the old (set) bit while its store still sits in its
 * store buffer, the drainer clears the bit and reads the old data, and the new data is then left with a clean bit
 * &mdash; a lost dirty unit. Either side needs a full fence. Putting it on the writer would cost every store;
 * {@link #run()} puts it on the drainer instead: once it returns, every store any thread issued before the barrier
 * reached that thread is visible, and every load a thread issues after it sees the drainer's swap.
 * <p>
 * When the library cannot be loaded (not Linux, no compiler at build time, a kernel without the command, or
 * {@code -Dfarline.membarrier=false}), {@link #isAvailable()} is false, a warning naming the reason is logged once,
 * and writers must use a full fence themselves ({@code io.farline.core.tracking} does so automatically).
 * Thread-safe.
 */
public final class ProcessWideBarrier
{
    /** System property that, set to {@code false}, turns the barrier off so the writer-fence fallback is used. */
    public static final String ENABLED_PROPERTY = "farline.membarrier";

    private static final String LIBRARY_NAME = "libfarline.so";
    private static final String UNAVAILABLE_REASON;

    static
    {
        UNAVAILABLE_REASON = load();
        if (null != UNAVAILABLE_REASON)
        {
            System.getLogger(ProcessWideBarrier.class.getName()).log(System.Logger.Level.WARNING,
                "process-wide barrier unavailable (" + UNAVAILABLE_REASON + "); dirty tracking falls back to a " +
                "full fence on every tracked store, which is slower");
        }
    }

    private ProcessWideBarrier()
    {
    }

    /**
     * @return true if {@link #run()} issues a process-wide barrier; false if it is only a local fence.
     */
    public static boolean isAvailable()
    {
        return null == UNAVAILABLE_REASON;
    }

    /**
     * @return why the barrier is unavailable, or null if it is available.
     */
    public static String unavailableReason()
    {
        return UNAVAILABLE_REASON;
    }

    /**
     * Makes every running thread of this process pass a full memory barrier, and this thread too. When the barrier
     * is unavailable, only this thread's full fence. Costs a system call (about half a microsecond here): call it
     * once per batch, not per item.
     *
     * @throws IllegalStateException if the system call fails after registration succeeded (it cannot, short of a
     *                               kernel bug).
     */
    public static void run()
    {
        if (null == UNAVAILABLE_REASON)
        {
            final int errno = run0();
            if (0 != errno)
            {
                throw new IllegalStateException("membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) failed: errno " + errno);
            }
        }
        else
        {
            // Only this thread: writers fence themselves in this mode.
            VarHandle.fullFence();
        }
    }

    private static String load()
    {
        if ("false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true")))
        {
            return "-D" + ENABLED_PROPERTY + "=false";
        }
        final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux"))
        {
            return "membarrier is Linux only, this is " + System.getProperty("os.name");
        }
        final String resource = "native/linux-" + System.getProperty("os.arch") + "/" + LIBRARY_NAME;
        try (InputStream in = ProcessWideBarrier.class.getResourceAsStream(resource))
        {
            if (null == in)
            {
                return "no native library " + resource + " next to " + ProcessWideBarrier.class.getName() +
                    " (was the core built on this platform with gcc?)";
            }
            final Path file = Files.createTempFile("farline-", ".so",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try
            {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            }
            finally
            {
                // Once loaded the mapping stays; the file itself is not needed.
                Files.deleteIfExists(file);
            }
            final int errno = register0();
            if (-1 == errno)
            {
                return "the kernel does not offer MEMBARRIER_CMD_PRIVATE_EXPEDITED";
            }
            if (0 != errno)
            {
                return "membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) failed: errno " + errno;
            }
            return null;
        }
        catch (final IOException | UnsatisfiedLinkError | SecurityException ex)
        {
            return "cannot load " + resource + ": " + ex;
        }
    }

    private static native int register0();

    private static native int run0();
}
