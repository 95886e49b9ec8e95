using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Testing;

/// <summary>
/// A client of one room's event stream as PROTOCOL v1.3 tells one to behave, through the public protocol: it joins or
/// resumes, keeps what is numbered above the newest it has (dropping the rest as already seen), holds live events
/// back while a join or resume is answered, and notes the gaps it sees. <see cref="Kept"/> is the stream as the
/// client ends up with it; tests check it is every event once, in order.
/// </summary>
public sealed class RoomStreamViewer
{
    private static readonly HashSet<string> LatestValue =
        [nameof(ILiveClient.ViewerCount), nameof(ILiveClient.LikesUpdated), nameof(ILiveClient.FlashSaleUpdated)];

    private readonly Lock _gate = new();
    private readonly string _roomId;
    private List<StreamItem>? _held;
    private HubConnection? _connection;

    public RoomStreamViewer(string roomId, string name)
    {
        _roomId = roomId;
        Kept = new EventProbe<StreamItem>($"{name}'s room events");
    }

    /// <summary>Every item kept, oldest first: each numbered above the one before.</summary>
    public EventProbe<StreamItem> Kept { get; }

    /// <summary>Items received again (numbered at or below the newest kept) and dropped.</summary>
    public int Duplicates { get; private set; }

    /// <summary>Live events numbered more than one above the newest kept (a latest-value event's skip not counted).</summary>
    public int Gaps { get; private set; }

    /// <summary>Snapshots started from (a join, or a resume answered with one).</summary>
    public List<RoomSnapshot> Snapshots { get; } = [];

    public string? Epoch { get; private set; }

    public long Newest { get; private set; }

    /// <summary>Receives the room's events on <paramref name="connection"/> (a new one after a reconnect).</summary>
    public RoomStreamViewer Attach(HubConnection connection)
    {
        _connection = connection;
        connection.On<ChatMessage[]>(nameof(ILiveClient.ChatBatch), batch =>
        {
            foreach (var m in batch)
            {
                Live(new StreamItem(nameof(ILiveClient.ChatBatch), m.Seq ?? 0, m.Id));
            }
        });
        connection.On<Product>(nameof(ILiveClient.ProductPinned), p => Live(new(nameof(ILiveClient.ProductPinned), p.Seq ?? 0, p.Id)));
        connection.On<RoomRef>(nameof(ILiveClient.ProductUnpinned), r => Live(new(nameof(ILiveClient.ProductUnpinned), r.Seq ?? 0, null)));
        connection.On<FlashSale>(nameof(ILiveClient.FlashSaleStarted), s => Live(new(nameof(ILiveClient.FlashSaleStarted), s.Seq ?? 0, s.Id)));
        connection.On<FlashSaleProgress>(nameof(ILiveClient.FlashSaleUpdated), p => Live(new(nameof(ILiveClient.FlashSaleUpdated), p.Seq ?? 0, p.SaleId)));
        connection.On<FlashSale>(nameof(ILiveClient.FlashSaleEnded), s => Live(new(nameof(ILiveClient.FlashSaleEnded), s.Seq ?? 0, s.Id)));
        connection.On<ViewerCountUpdate>(nameof(ILiveClient.ViewerCount), v => Live(new(nameof(ILiveClient.ViewerCount), v.Seq ?? 0, null)));
        connection.On<LikesUpdate>(nameof(ILiveClient.LikesUpdated), l => Live(new(nameof(ILiveClient.LikesUpdated), l.Seq ?? 0, null)));
        connection.On<Room>(nameof(ILiveClient.StreamStarted), r => Live(new(nameof(ILiveClient.StreamStarted), r.Seq ?? 0, null)));
        connection.On<Room>(nameof(ILiveClient.StreamEnded), r => Live(new(nameof(ILiveClient.StreamEnded), r.Seq ?? 0, null)));
        connection.On<ChatDeletion>(nameof(ILiveClient.ChatDeleted), d => Live(new(nameof(ILiveClient.ChatDeleted), d.Seq ?? 0, d.MessageId)));
        return this;
    }

    /// <summary><c>JoinRoom</c>: starts from its snapshot.</summary>
    public async Task<RoomSnapshot> JoinAsync()
    {
        Hold();
        var snapshot = await Connection.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), _roomId);
        Release(snapshot.Epoch, snapshot.Seq ?? throw new InvalidOperationException("JoinRoom answered no seq"), snapshot, []);
        return snapshot;
    }

    /// <summary><c>ResumeRoom</c> from the newest item kept: takes the events answered, or starts again from the snapshot.</summary>
    public async Task<RoomResume> ResumeAsync()
    {
        Hold();
        var answer = await Connection.InvokeAsync<RoomResume>(nameof(LiveHub.ResumeRoom), _roomId, Epoch, Newest);
        Release(answer.Epoch, answer.Seq, answer.Snapshot, answer.Events?.SelectMany(Items).ToArray() ?? []);
        return answer;
    }

    /// <summary>The items of a resumed event, read from its <c>data</c> by its <c>event</c>.</summary>
    public static IEnumerable<StreamItem> Items(RoomEventFrame frame) => frame.Event switch
    {
        nameof(ILiveClient.ChatBatch) => WireData.As<ChatMessage[]>(frame.Data).Select(m => new StreamItem(frame.Event, m.Seq ?? 0, m.Id)),
        nameof(ILiveClient.ProductPinned) => [new(frame.Event, WireData.As<Product>(frame.Data).Seq ?? 0, WireData.As<Product>(frame.Data).Id)],
        nameof(ILiveClient.FlashSaleStarted) or nameof(ILiveClient.FlashSaleEnded) =>
            [new(frame.Event, WireData.As<FlashSale>(frame.Data).Seq ?? 0, WireData.As<FlashSale>(frame.Data).Id)],
        nameof(ILiveClient.FlashSaleUpdated) =>
            [new(frame.Event, WireData.As<FlashSaleProgress>(frame.Data).Seq ?? 0, WireData.As<FlashSaleProgress>(frame.Data).SaleId)],
        nameof(ILiveClient.ChatDeleted) => [new(frame.Event, WireData.As<ChatDeletion>(frame.Data).Seq ?? 0, WireData.As<ChatDeletion>(frame.Data).MessageId)],
        nameof(ILiveClient.ProductUnpinned) => [new(frame.Event, WireData.As<RoomRef>(frame.Data).Seq ?? 0, null)],
        nameof(ILiveClient.ViewerCount) => [new(frame.Event, WireData.As<ViewerCountUpdate>(frame.Data).Seq ?? 0, null)],
        nameof(ILiveClient.LikesUpdated) => [new(frame.Event, WireData.As<LikesUpdate>(frame.Data).Seq ?? 0, null)],
        nameof(ILiveClient.StreamStarted) or nameof(ILiveClient.StreamEnded) => [new(frame.Event, WireData.As<Room>(frame.Data).Seq ?? 0, null)],
        _ => throw new InvalidOperationException($"unknown resumed event {frame.Event}"),
    };

    private HubConnection Connection => _connection ?? throw new InvalidOperationException("attach a connection first");

    private void Hold()
    {
        lock (_gate)
        {
            _held ??= [];
        }
    }

    private void Release(string? epoch, long seq, RoomSnapshot? snapshot, IReadOnlyList<StreamItem> answered)
    {
        List<StreamItem> held;
        lock (_gate)
        {
            Epoch = epoch;
            if (snapshot is not null)
            {
                Snapshots.Add(snapshot);
                Newest = seq;
            }

            foreach (var item in answered)
            {
                Take(item, live: false);
            }

            held = _held ?? [];
            _held = null;
            foreach (var item in held)
            {
                Take(item, live: true);
            }
        }
    }

    private void Live(StreamItem item)
    {
        lock (_gate)
        {
            if (_held is not null)
            {
                _held.Add(item);
                return;
            }

            Take(item, live: true);
        }
    }

    /// <remarks>Under the lock.</remarks>
    private void Take(StreamItem item, bool live)
    {
        if (item.Seq <= Newest)
        {
            Duplicates++;
            return;
        }

        if (live && item.Seq > Newest + 1 && !LatestValue.Contains(item.Event))
        {
            Gaps++;
        }

        Newest = item.Seq;
        Kept.Record(item);
    }
}
