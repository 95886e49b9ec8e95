using Live.Contracts.Catalog;
using Live.Contracts.Rooms;
using Live.Hub.Delivery;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Live.Hub.Tests.Delivery;

public sealed class RoomEventCodecTests
{
    private readonly JsonHubProtocol _json = new(Options.Create(new JsonHubProtocolOptions()));

    [Fact]
    public void AnEventCrossesTheRedisHopAsTheSameJsonAClientReads()
    {
        var codec = new RoomEventCodec(_json);
        var product = new Product { Id = "p1", Name = "Tea set", Brand = "Florasis", Price = 88.10m, Currency = "CNY", Tags = ["tea"], Stock = 3 };

        var payload = codec.Write("room-1", nameof(ILiveClient.ProductPinned), [product]);
        var call = codec.Read(payload);

        Assert.Equal("room-1", RoomEventCodec.RoomOf(payload));
        Assert.Equal(nameof(ILiveClient.ProductPinned), call.Target);
        var read = Assert.IsType<Product>(Assert.Single(call.Arguments));
        Assert.Equal("88.10", read.Price.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ClientJson(nameof(ILiveClient.ProductPinned), [product]), ClientJson(call.Target, call.Arguments));
    }

    [Fact]
    public void AChatBatchReadsBackAsItsMessages()
    {
        var codec = new RoomEventCodec(_json);
        ChatMessage[] messages = [Frames.Message("m1"), Frames.Message("m2")];

        var call = codec.Read(codec.Write("r1", nameof(ILiveClient.ChatBatch), [messages]));

        var read = Assert.IsAssignableFrom<IReadOnlyList<ChatMessage>>(Assert.Single(call.Arguments));
        Assert.Equal(messages, read);
    }

    private string ClientJson(string method, object?[] args) =>
        System.Text.Encoding.UTF8.GetString(new SerializedHubMessage(new InvocationMessage(method, args)).GetSerializedMessage(_json).Span);
}
