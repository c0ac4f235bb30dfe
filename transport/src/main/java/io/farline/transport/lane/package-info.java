/**
 * Send lanes: the one-to-one rings that carry a queue pair's SENDs to its peer, like an Aeron publication's log.
 * A lane file's layout is {@link io.farline.transport.lane.LaneFileDescriptor}, its mapping
 * {@link io.farline.transport.lane.LaneFile}; the sender announces a lane, and its end, through the receiver's
 * many-to-one inbox in the messages that {@link io.farline.transport.lane.LaneAnnouncementDescriptor} lays out.
 */
package io.farline.transport.lane;
