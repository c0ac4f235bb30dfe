package io.farline.property.transport;

/**
 * The ids a fabric file's name promises, which attach expects its header to hold.
 *
 * @param nodeId         the node that created the file: the owner of a control or region file, a lane's sender.
 * @param fileId         the region id or lane id the name gives; 0 for a control file.
 * @param receiverNodeId a lane's receiving node; 0 for the other kinds.
 */
record FileIds(int nodeId, int fileId, int receiverNodeId)
{
    static FileIds control(final int nodeId)
    {
        return new FileIds(nodeId, 0, 0);
    }

    static FileIds region(final int nodeId, final int regionId)
    {
        return new FileIds(nodeId, regionId, 0);
    }

    static FileIds lane(final int senderNodeId, final int laneId, final int receiverNodeId)
    {
        return new FileIds(senderNodeId, laneId, receiverNodeId);
    }
}
