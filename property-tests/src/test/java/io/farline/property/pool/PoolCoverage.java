package io.farline.property.pool;

/**
 * What the trials of a {@link PoolScenario} made happen: a property that never restarted the controller, never
 * killed a borrower holding chunks or never saw a refusal would pass without checking what it claims to. Counted on
 * the test thread, shrinking runs included.
 */
final class PoolCoverage
{
    long trials;
    long chunksGranted;
    long allocationsRefused;
    long chunksParked;
    long adoptions;
    long adoptionsRefused;
    long orphansLent;
    long orphansFreedByReconcile;
    long chunksEvacuated;
    long chunksReclaimed;
    long borrowerDeaths;
    long chunksFreedFromDeadBorrowers;
    long deathsWhileNoController;
    long controllerRestarts;
    long hostsClosed;
    long hostsPaused;
    long hostsRestarted;

    @Override
    public String toString()
    {
        return trials + " trials (shrinking runs included): " + chunksGranted + " chunks granted, " +
            allocationsRefused + " allocations refused, " + chunksParked + " chunks parked, " + adoptions +
            " adoptions (" + adoptionsRefused + " refused), " + orphansLent + " chunks lent by lost replies (" +
            orphansFreedByReconcile + " freed by reconcile), " + chunksReclaimed + " chunks marked for reclaim, " +
            chunksEvacuated + " evacuated, " + borrowerDeaths + " borrower deaths (" + deathsWhileNoController +
            " while no controller ran) freeing " + chunksFreedFromDeadBorrowers + " chunks, " + controllerRestarts +
            " controller restarts, " + hostsClosed + " hosts closed, " + hostsPaused + " paused, " + hostsRestarted +
            " restarted";
    }
}
