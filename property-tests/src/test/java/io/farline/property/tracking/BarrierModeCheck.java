package io.farline.property.tracking;

import io.farline.core.internal.ProcessWideBarrier;

/**
 * Makes a test JVM refuse to run in a barrier mode other than the one its launcher asked for, so that a run meant to
 * cover the membarrier path cannot silently cover the writer-fence fallback instead (or the other way round).
 */
final class BarrierModeCheck
{
    /** System property a launcher sets to {@code true} or {@code false}: whether it expects the barrier. */
    static final String EXPECTED_PROPERTY = "farline.test.membarrier.expected";

    private BarrierModeCheck()
    {
    }

    /**
     * @throws IllegalStateException if {@value #EXPECTED_PROPERTY} is set and disagrees with
     *                               {@link ProcessWideBarrier#isAvailable()}.
     */
    static void verify()
    {
        final String expected = System.getProperty(EXPECTED_PROPERTY);
        if (null != expected && Boolean.parseBoolean(expected) != ProcessWideBarrier.isAvailable())
        {
            throw new IllegalStateException("-D" + EXPECTED_PROPERTY + "=" + expected + " but the process-wide " +
                "barrier is " + (ProcessWideBarrier.isAvailable() ? "available" : "unavailable (" +
                ProcessWideBarrier.unavailableReason() + ")"));
        }
    }

    /**
     * @return the mode this JVM runs in, for reports.
     */
    static String describe()
    {
        return ProcessWideBarrier.isAvailable() ? "membarrier (drainer-side process-wide barrier)" :
            "writer fences (" + ProcessWideBarrier.unavailableReason() + ")";
    }
}
