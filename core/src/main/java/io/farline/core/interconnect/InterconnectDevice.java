package io.farline.core.interconnect;

import org.agrona.concurrent.Agent;

/**
 * A device on the interconnect (the "software FPGA"): it sees the events the interconnect model publishes and does
 * its own work as an Agrona {@link Agent}. The {@link Interconnect}'s agent calls every method of an attached device,
 * on one thread: first the events it read, in order, then {@link #doWork()}.
 * <p>
 * Events are hints, the dirty bitmap is the truth: the interconnect's event buffer may overflow, and then a device is
 * told with {@link #onEventsLost} and must fall back to the bitmap. Implementations must not block.
 * <p>
 * A device that throws does not take events from the others: the interconnect catches the exception, reports it to
 * its {@link org.agrona.ErrorHandler} and goes on with the next device. If an event callback threw, the event counts
 * as lost for that device: it is told with {@code onEventsLost(1)} right away. An {@link Error} is rethrown once every
 * device has had the event, and stops the interconnect's runner.
 */
public interface InterconnectDevice extends Agent
{
    /**
     * A store turned units from clean to dirty: the analogue of a CPU cache taking lines in exclusive state.
     *
     * @param port           the tracked memory, as {@link Interconnect#connect} numbered it.
     * @param wordIndex      the bitmap word.
     * @param newlyDirtyBits the units of that word that turned dirty: bit {@code b} is unit {@code wordIndex*64+b}.
     */
    default void onOwnership(final int port, final int wordIndex, final long newlyDirtyBits)
    {
    }

    /**
     * An access missed a unit that is not present locally (far memory, migration).
     *
     * @param port      the tracked memory.
     * @param unitIndex the unit missed.
     */
    default void onMiss(final int port, final int unitIndex)
    {
    }

    /**
     * Events were dropped because the event buffer was full; what they said is in the bitmaps.
     *
     * @param lostEvents how many were dropped since the last call.
     */
    default void onEventsLost(final long lostEvents)
    {
    }

    /**
     * Work of the device's own, called after the events of each duty cycle.
     *
     * @return work done, 0 if none.
     */
    @Override
    default int doWork()
    {
        return 0;
    }
}
