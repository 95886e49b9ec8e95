using Live.Client;
using Live.Client.Models;

namespace Live.Testing;

/// <summary>Everything a <see cref="LiveRoom"/> hands its application, one probe per kind, registered before the join.</summary>
public sealed class RoomRecorder
{
    public EventProbe<RoomSnapshot> Snapshots { get; } = new("SnapshotReceived");

    public EventProbe<ChatMessage> Chat { get; } = new("ChatReceived");

    public EventProbe<ChatDeletion> Deleted { get; } = new("ChatDeleted");

    public EventProbe<Product> Pinned { get; } = new("ProductPinned");

    public EventProbe<RoomRef> Unpinned { get; } = new("ProductUnpinned");

    public EventProbe<FlashSale> SaleStarted { get; } = new("FlashSaleStarted");

    public EventProbe<FlashSaleProgress> SaleUpdated { get; } = new("FlashSaleUpdated");

    public EventProbe<FlashSale> SaleEnded { get; } = new("FlashSaleEnded");

    public EventProbe<ViewerCountUpdate> Viewers { get; } = new("ViewerCountChanged");

    public EventProbe<LikesUpdate> Likes { get; } = new("LikesUpdated");

    public EventProbe<Room> Ended { get; } = new("StreamEnded");

    public EventProbe<RoomRemoval> Removed { get; } = new("Removed");

    /// <summary>Every event in the order the room delivered it, by name.</summary>
    public EventProbe<string> Order { get; } = new("any event");

    public void Attach(LiveRoom room)
    {
        room.SnapshotReceived += s => Record(Snapshots, s, "Snapshot");
        room.ChatReceived += m => Record(Chat, m, "ChatBatch");
        room.ChatDeleted += d => Record(Deleted, d, "ChatDeleted");
        room.ProductPinned += p => Record(Pinned, p, "ProductPinned");
        room.ProductUnpinned += r => Record(Unpinned, r, "ProductUnpinned");
        room.FlashSaleStarted += s => Record(SaleStarted, s, "FlashSaleStarted");
        room.FlashSaleUpdated += p => Record(SaleUpdated, p, "FlashSaleUpdated");
        room.FlashSaleEnded += s => Record(SaleEnded, s, "FlashSaleEnded");
        room.ViewerCountChanged += v => Record(Viewers, v, "ViewerCount");
        room.LikesUpdated += l => Record(Likes, l, "LikesUpdated");
        room.StreamEnded += r => Record(Ended, r, "StreamEnded");
        room.Removed += r => Record(Removed, r, "RemovedFromRoom");
    }

    private void Record<T>(EventProbe<T> probe, T item, string name)
    {
        probe.Record(item);
        Order.Record(name);
    }
}
