package io.farline.transport;

import java.nio.file.Paths;

/**
 * Opens a fabric and prints what happened: run without Farline's JVM flags by {@link JvmFlagsTest}.
 */
public final class JvmFlagsProbeMain
{
    private JvmFlagsProbeMain()
    {
    }

    public static void main(final String[] args)
    {
        try
        {
            Fabric.at(Paths.get(args[0]));
            System.out.println("OPENED");
        }
        catch (final IllegalStateException ex)
        {
            System.out.println("REFUSED " + ex.getMessage());
        }
    }
}
