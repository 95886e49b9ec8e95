using System.Text.Json;
using Live.Client.Models;
using Live.Client.Protocol;
using Live.Client.Streams;
using MessagePack;

namespace Live.Client.Tests.Streams;

/// <summary>
/// A <c>RoomResume</c> as each protocol carries it (PROTOCOL.md v1.3: <c>{ resumed, epoch, seq, events: [{ event, seq,
/// data }], snapshot }</c>, the JSON field names in both): read into the client's types, each event's data in the type
/// its name gives.
/// </summary>
public sealed class ResumeAnswerWireTests
{
    private const string Json = """
        {
          "resumed": true, "epoch": "e7", "seq": 12, "snapshot": null, "somethingNewer": [1, 2],
          "events": [
            { "event": "ChatBatch", "seq": 10, "data": [
              { "id": "m9", "roomId": "r1", "userId": "u1", "displayName": "Mei", "text": "hi", "sentAt": "2025-05-01T12:00:00.5+00:00", "seq": 9 },
              { "id": "m10", "roomId": "r1", "userId": "u2", "displayName": "Lin", "text": "yo", "sentAt": "2025-05-01T12:00:01+00:00", "seq": 10 } ] },
            { "data": { "id": "p1", "name": "Rose Lip Balm", "brand": "Perfect Diary", "price": 59.9, "currency": "CNY", "imageUrl": null, "tags": [], "verified": true, "stock": 3, "seq": 11 }, "event": "ProductPinned", "seq": 11 },
            { "event": "FlashSaleUpdated", "seq": 12, "data": { "saleId": "s1", "remaining": 4, "sold": 6, "recentBuyers": ["Mei"], "serverTime": "2025-05-01T12:00:02+00:00", "seq": 12 } },
            { "event": "SomethingNew", "seq": 12, "data": { "x": 1 } }
          ]
        }
        """;

    public static TheoryData<string> Protocols => ["json", "messagepack"];

    [Theory]
    [MemberData(nameof(Protocols))]
    public void EachEventsDataIsReadInTheTypeItsNameGives(string protocol)
    {
        var answer = Read(protocol);
        Assert.True(answer.Resumed);
        Assert.Equal(("e7", 12L), (answer.Epoch, answer.Seq));

        var items = answer.Events!.SelectMany(RoomEventDecoder.Items).ToList();
        Assert.Equal(["ChatBatch", "ChatBatch", "ProductPinned", "FlashSaleUpdated", "SomethingNew"], items.Select(i => i.Event));
        Assert.Equal([9L, 10L, 11L, 12L, 12L], items.Select(i => i.Seq!.Value));
        var chat = Assert.IsType<ChatMessage>(items[1].Data);
        Assert.Equal(("Lin", "yo", new DateTimeOffset(2025, 5, 1, 12, 0, 1, TimeSpan.Zero)), (chat.DisplayName, chat.Text, chat.SentAt));
        var pinned = Assert.IsType<Product>(items[2].Data);
        Assert.Equal((59.90m, true, 3), (pinned.Price, pinned.Verified, pinned.Stock));
        var progress = Assert.IsType<FlashSaleProgress>(items[3].Data);
        Assert.Equal((4, 6, "Mei"), (progress.Remaining, progress.Sold, Assert.Single(progress.RecentBuyers)));
        var unknown = Assert.IsType<EventData>(items[4].Data);
        Assert.Equal(1, JsonDocument.Parse(unknown.ToJson()).RootElement.GetProperty("x").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void AnAnswerThatCouldNotResumeCarriesTheSnapshot(string protocol)
    {
        const string json = """
            { "resumed": false, "epoch": "e8", "seq": 40, "events": null,
              "snapshot": { "room": { "id": "r1", "hostId": "h", "title": "t", "status": "live" }, "pinnedProduct": null,
                            "activeSales": [], "recentChat": [], "viewers": 2, "likes": 5, "epoch": "e8", "seq": 40 } }
            """;
        var answer = Read(protocol, json);
        var state = new RoomStreamState();
        var step = state.Resume(answer);
        var snapshot = Assert.IsType<RoomSnapshot>(Assert.Single(step.Deliver).Data);
        Assert.Equal((5L, "e8", 40L), (snapshot.Likes, snapshot.Epoch, snapshot.Seq));
        Assert.Equal(new ResumePoint("e8", 40), state.ResumePoint);
    }

    private static RoomResume Read(string protocol, string json = Json) => protocol == "json"
        ? JsonSerializer.Deserialize<RoomResume>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!
        : MessagePackSerializer.Deserialize<RoomResume>(MessagePackSerializer.ConvertFromJson(json), LiveMessagePack.Options);
}
