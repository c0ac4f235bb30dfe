package io.farline.core.pool;

import io.farline.transport.RegionHandle;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolMessagesTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);

    @Test
    void shouldRoundTripGrantsAndRefusals()
    {
        final Chunk chunk = new Chunk(new RegionHandle(3, 1, 0xABCDL, 4 << 20), 2, 1 << 20);
        final int length = PoolMessages.encodeGrantedHeader(buffer, 77, 1);
        PoolMessages.encodeGrant(buffer, 0, chunk);
        assertEquals(PoolMessages.GRANTED, PoolMessages.type(buffer, 0, length));
        assertEquals(1, PoolMessages.grantCount(buffer, 0, length));
        assertEquals(chunk, PoolMessages.decodeGrant(buffer, 0, 0));
        assertEquals(2L << 20, chunk.offsetBytes());

        final int refused = PoolMessages.encodeRefused(buffer, 78, "pool exhausted: nothing");
        assertEquals("pool exhausted: nothing", PoolMessages.decodeRefusedReason(buffer, 0, refused));
    }

    @Test
    void shouldRefuseMessagesShorterThanTheirHeaderSays()
    {
        final int length = PoolMessages.encodeGrantedHeader(buffer, 1, 3);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> PoolMessages.grantCount(buffer, 0, length - 1));
        assertTrue(ex.getMessage().contains("GRANTED message of"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PoolMessages.type(buffer, 0, 3));
        buffer.putInt(PoolMessages.COUNT_OFFSET, -1);
        assertThrows(IllegalArgumentException.class, () -> PoolMessages.grantCount(buffer, 0, 64));
        final int refs = PoolMessages.encodeChunkRefs(buffer, PoolMessages.RELEASE,
            List.of(new Chunk(new RegionHandle(3, 1, 1L, 1 << 20), 0, 1 << 20)));
        assertEquals(1, PoolMessages.chunkRefCount("RELEASE", buffer, 0, refs));
        assertThrows(IllegalArgumentException.class, () -> PoolMessages.chunkRefCount("RELEASE", buffer, 0, refs - 1));
    }

    @Test
    void shouldRoundTripAnAllocationOnDistinctHostsAndRefuseATruncatedOne()
    {
        final int length = PoolMessages.encodeAllocate(buffer, 9, 6, 1 << 20, PoolMessages.ALLOCATE_DISTINCT_HOSTS,
            new int[] {4, 7});
        assertEquals(PoolMessages.ALLOCATE, PoolMessages.type(buffer, 0, length));
        assertEquals(PoolMessages.ALLOCATE_DISTINCT_HOSTS, buffer.getInt(PoolMessages.ALLOCATE_FLAGS_OFFSET));
        assertEquals(List.of(4, 7), java.util.Arrays.stream(PoolMessages.decodeAllocateExcluded(buffer, 0, length))
            .boxed().toList());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> PoolMessages.decodeAllocateExcluded(buffer, 0, length - 1));
        assertTrue(ex.getMessage().contains("ALLOCATE message of"), ex.getMessage());
        buffer.putInt(PoolMessages.ALLOCATE_EXCLUDED_OFFSET, -2);
        assertThrows(IllegalArgumentException.class, () -> PoolMessages.decodeAllocateExcluded(buffer, 0, length));
    }
}
