package io.farline.core;

import io.farline.core.interconnect.Interconnect;
import io.farline.core.pagetable.PageTable;
import io.farline.core.tracking.TrackedMemory;
import io.farline.core.tracking.TrackingGeometry;

/**
 * Uses each entry point of the core that takes no node (tracked memory, a page table, an interconnect) and prints,
 * one line each, what happened: run without Farline's JVM flags by {@link JvmFlagsCoreTest}.
 */
public final class JvmFlagsCoreProbeMain
{
    private JvmFlagsCoreProbeMain()
    {
    }

    public static void main(final String[] args)
    {
        probe("TrackedMemory.allocate", () -> TrackedMemory.allocate(TrackingGeometry.of(1 << 16)).close());
        probe("PageTable.allocate", () -> PageTable.allocate(16, 1).close());
        probe("new Interconnect", () -> new Interconnect().close());
    }

    private static void probe(final String name, final Runnable use)
    {
        try
        {
            use.run();
            System.out.println("OPENED " + name);
        }
        catch (final IllegalStateException ex)
        {
            System.out.println("REFUSED " + name + ": " + ex.getMessage());
        }
        catch (final Throwable ex)
        {
            System.out.println("FAILED " + name + ": " + ex);
        }
    }
}
