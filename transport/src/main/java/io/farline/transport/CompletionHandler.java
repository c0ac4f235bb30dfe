package io.farline.transport;

/**
 * Receives completions polled from a {@link CompletionQueue}, on the polling thread.
 */
@FunctionalInterface
public interface CompletionHandler
{
    /**
     * One completed work request.
     *
     * @param wrId   the work request id given when it was posted.
     * @param verb   the verb.
     * @param status a {@link CompletionStatus} code.
     * @param result for READ and WRITE the bytes transferred; for COMPARE_AND_SWAP and FETCH_AND_ADD the value the
     *               remote word held before the operation; 0 when the status is not {@link CompletionStatus#SUCCESS}.
     */
    void onCompletion(long wrId, Verb verb, int status, long result);
}
