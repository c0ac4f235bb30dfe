package io.farline.core.pool;

/**
 * Told by {@link PoolClient#poll} that the controller wants a chunk back: the borrower must copy its data elsewhere
 * and then release the chunk ({@link PoolClient#release}). Until it does, the chunk stays readable and writable.
 */
@FunctionalInterface
public interface EvacuationHandler
{
    /**
     * @param chunk the chunk to evacuate, one this borrower holds.
     */
    void onEvacuate(Chunk chunk);
}
