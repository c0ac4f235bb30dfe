package io.farline.transport.lane;

import io.farline.transport.LayoutDiagram;
import io.farline.transport.LayoutDiagram.Field;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.farline.transport.lane.LaneFileDescriptor.LANE_LANE_ID_LENGTH;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_LANE_ID_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_LAYOUT_VERSION_LENGTH;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_LAYOUT_VERSION_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_MAGIC_LENGTH;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_MAGIC_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_MAX_RING_CAPACITY;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_MIN_RING_CAPACITY;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_RECEIVER_NODE_ID_LENGTH;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_RECEIVER_NODE_ID_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_RING_CAPACITY_LENGTH;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_RING_CAPACITY_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_RING_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_SENDER_NODE_ID_LENGTH;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_SENDER_NODE_ID_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_SENDER_STATE_LENGTH;
import static io.farline.transport.lane.LaneFileDescriptor.LANE_SENDER_STATE_OFFSET;
import static io.farline.transport.lane.LaneFileDescriptor.checkRingCapacity;
import static io.farline.transport.lane.LaneFileDescriptor.fileLength;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class LaneFileDescriptorTest
{
    @Test
    void shouldMatchTheDiagramInItsJavadoc()
    {
        LayoutDiagram.check("src/main/java/io/farline/transport/lane/LaneFileDescriptor.java", List.of(
            new Field("Magic", LANE_MAGIC_OFFSET, LANE_MAGIC_LENGTH, "sender-once", false),
            new Field("Layout Version", LANE_LAYOUT_VERSION_OFFSET, LANE_LAYOUT_VERSION_LENGTH, "sender-once", true),
            new Field("Sender Node Id", LANE_SENDER_NODE_ID_OFFSET, LANE_SENDER_NODE_ID_LENGTH, "sender-once", false),
            new Field("Receiver Node Id", LANE_RECEIVER_NODE_ID_OFFSET, LANE_RECEIVER_NODE_ID_LENGTH, "sender-once",
                false),
            new Field("Lane Id", LANE_LANE_ID_OFFSET, LANE_LANE_ID_LENGTH, "sender-once", false),
            new Field("Ring Capacity", LANE_RING_CAPACITY_OFFSET, LANE_RING_CAPACITY_LENGTH, "sender-once", false),
            new Field("Sender State", LANE_SENDER_STATE_OFFSET, LANE_SENDER_STATE_LENGTH, "sender-close", true),
            new Field("Ring", LANE_RING_OFFSET, -1, "sender-and-receiver", false)));
    }

    @Test
    void shouldStartTheRingOnItsOwnSlotAndCheckCapacities()
    {
        // Literal offsets: they pin the format on disk, which a change to the static block must not move unnoticed.
        assertEquals(128, LANE_SENDER_STATE_OFFSET);
        assertEquals(256, LANE_RING_OFFSET);
        assertEquals(256 + 4096L + RingBufferDescriptor.TRAILER_LENGTH, fileLength(4096));
        assertNull(checkRingCapacity(LANE_MIN_RING_CAPACITY));
        assertNull(checkRingCapacity(LANE_MAX_RING_CAPACITY));
        assertNotNull(checkRingCapacity(LANE_MIN_RING_CAPACITY / 2));
        assertNotNull(checkRingCapacity(LANE_MAX_RING_CAPACITY * 2));
        assertNotNull(checkRingCapacity(5000));
    }
}
