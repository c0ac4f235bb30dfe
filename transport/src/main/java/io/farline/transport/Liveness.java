package io.farline.transport;

import io.farline.transport.control.ControlFile;

import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a node is alive from its control file: it is dead when its heartbeat is older than the timeout or
 * its process is gone, closed when it said so, and alive otherwise. A live pid alone never makes a node alive (the
 * heartbeat must be fresh too), and a pid reused by a process that started after the node is treated as gone.
 */
public final class Liveness
{
    /** Slack when comparing a process's start time, read from the OS, with the node's recorded start time. */
    private static final long START_TIME_SLACK_MS = 2_000;

    private Liveness()
    {
    }

    /**
     * The verdict on one node.
     *
     * @param state  the node's state.
     * @param reason why, in words.
     */
    public record Verdict(PeerState state, String reason)
    {
    }

    /**
     * @param controlFile the node's control file.
     * @param nowMs       epoch ms now.
     * @param timeoutMs   heartbeat age beyond which the node is dead.
     * @return the verdict.
     */
    public static Verdict evaluate(final ControlFile controlFile, final long nowMs, final long timeoutMs)
    {
        final Verdict gone = goneForGood(controlFile);
        if (null != gone)
        {
            return gone;
        }
        final long ageMs = nowMs - controlFile.heartbeatTimeMsAcquire();
        if (ageMs > timeoutMs)
        {
            return new Verdict(PeerState.DEAD, "heartbeat " + ageMs + " ms old (timeout " + timeoutMs + " ms)");
        }
        return new Verdict(PeerState.ALIVE, "heartbeat " + Math.max(0, ageMs) + " ms old");
    }

    /**
     * The part of {@link #evaluate} that no heartbeat can change: the node closed, or its process is gone.
     *
     * @param controlFile the node's control file.
     * @return the verdict if the node is gone for good, else null (it may be alive, or only late).
     */
    static Verdict goneForGood(final ControlFile controlFile)
    {
        if (controlFile.isClosedAcquire())
        {
            return new Verdict(PeerState.CLOSED, "closed cleanly");
        }
        final long pid = controlFile.pid();
        final Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive())
        {
            return new Verdict(PeerState.DEAD, "process " + pid + " is gone");
        }
        final Optional<Instant> processStart = process.get().info().startInstant();
        if (processStart.isPresent() &&
            processStart.get().toEpochMilli() - controlFile.startTimeMs() > START_TIME_SLACK_MS)
        {
            return new Verdict(PeerState.DEAD, "process " + pid + " is gone (its pid now belongs to a newer process)");
        }
        return null;
    }
}
