/**
 * Erasure codecs for parity over far-memory shards: a stripe is {@code k} data shards and {@code m} parity shards
 * of one common length, any {@code m} of which can be lost and rebuilt from the rest.
 * <p>
 * {@link io.farline.core.parity.XorCodec} is the single-parity case ({@code m = 1}, plain XOR);
 * {@link io.farline.core.parity.ReedSolomonCodec} is a systematic Reed-Solomon code over GF(2^8) (polynomial
 * {@code 0x11D}) with a Cauchy encoding matrix, for any {@code k + m <= 256};
 * {@link io.farline.core.parity.MirrorCodec} is replication seen as a code ({@code k = 1}, every parity shard a copy),
 * so that replicated far memory shares the machinery of parity. All implement
 * {@link io.farline.core.parity.ErasureCodec}, including the parity delta update used when only a line of a data
 * shard changes. Pure library: no I/O, no threads. A codec's code is fixed at construction and the codec may be
 * shared by threads; the arrays passed to it belong to the caller. Encoding and delta updates do not allocate, nor
 * does a Reed-Solomon decode of an erasure pattern the codec has decoded before: the pattern's decode plan is
 * cached in the codec by a lock-free table whose slots are published by compare-and-set ({@code DecodePlanCache}).
 */
package io.farline.core.parity;
