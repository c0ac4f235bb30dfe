package io.farline.property.harness;

import java.util.List;

/**
 * A property of a sequence of actions: {@link #check} runs the actions against the system and a model and throws
 * (an {@link AssertionError} or any exception) when they disagree. It must be deterministic in its actions: each
 * call starts from a fresh system, so that a failing sequence fails again when replayed or shrunk.
 *
 * @param <T> the type of action.
 */
@FunctionalInterface
public interface Property<T>
{
    /**
     * @param actions to run, in order.
     * @throws Exception if the system and the model disagree (an {@link AssertionError} also counts).
     */
    void check(List<T> actions) throws Exception;

    /**
     * Runs {@link #check} and reports how it failed.
     *
     * @param actions to run.
     * @return null if the property held, else what it threw.
     */
    default Throwable failureOf(final List<T> actions)
    {
        try
        {
            check(actions);
            return null;
        }
        catch (final VirtualMachineError ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            return ex;
        }
    }
}
