using System.Text.Json;
using System.Text.Json.Nodes;
using Live.Client.Protocol;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using MessagePack;

namespace Live.Hub.Tests.Protocol;

/// <summary>The formatters behind MessagePack's JSON shape, without a server: times, money, reading back.</summary>
public sealed class LiveMessagePackTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static TheoryData<DateTimeOffset> Times => new()
    {
        new DateTimeOffset(2025, 5, 1, 12, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2025, 5, 1, 12, 0, 0, 500, TimeSpan.Zero),
        new DateTimeOffset(2025, 5, 1, 23, 59, 59, TimeSpan.FromHours(8)).AddTicks(1234567),
        new DateTimeOffset(1999, 12, 31, 0, 0, 1, TimeSpan.FromMinutes(-330)).AddTicks(10),
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void ATimeIsTheIsoStringJsonWritesAndReadsBack(DateTimeOffset time)
    {
        var bytes = MessagePackSerializer.Serialize(time, LiveMessagePack.Options);

        var reader = new MessagePackReader(bytes);
        Assert.Equal(MessagePackType.String, reader.NextMessagePackType);
        Assert.Equal(JsonSerializer.Serialize(time, Web), $"\"{reader.ReadString()}\"");
        var read = MessagePackSerializer.Deserialize<DateTimeOffset>(bytes, LiveMessagePack.Options);
        Assert.Equal(time, read);
        Assert.Equal(time.Offset, read.Offset);
    }

    [Theory]
    [InlineData("129", MessagePackType.Integer)]
    [InlineData("129.00", MessagePackType.Integer)]
    [InlineData("59.90", MessagePackType.Float)]
    [InlineData("0.01", MessagePackType.Float)]
    [InlineData("9999999.99", MessagePackType.Float)]
    [InlineData("10000000", MessagePackType.Integer)]
    public void MoneyIsANumberAndReadsBackToTheSameAmount(string text, MessagePackType type)
    {
        var amount = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var bytes = MessagePackSerializer.Serialize(amount, LiveMessagePack.Options);

        Assert.Equal(type, new MessagePackReader(bytes).NextMessagePackType);
        Assert.Equal(amount, MessagePackSerializer.Deserialize<decimal>(bytes, LiveMessagePack.Options));
    }

    [Fact]
    public void ARecordWritesJsonsFieldsAndReadsBackTheSameRecord()
    {
        var sale = new FlashSale
        {
            Id = "sale-1",
            RoomId = "room-1",
            Product = new Product { Id = "p-1", Name = "Rose Lip Balm", Brand = "Perfect Diary", Price = 129m, Currency = "CNY", Tags = ["beauty"], Stock = null },
            Price = 59.90m,
            Quantity = 10,
            Remaining = 3,
            PerUserLimit = 2,
            Status = SaleStatus.Active,
            EndsAt = new DateTimeOffset(2025, 5, 1, 12, 10, 0, TimeSpan.Zero),
        };
        var snapshot = new RoomSnapshot
        {
            Room = new Room { Id = "room-1", HostId = "host-1", Title = "Spring", Status = RoomStatus.Live },
            ActiveSales = [sale],
            RecentChat = [],
            Viewers = 3,
        };

        var bytes = MessagePackSerializer.Serialize(snapshot, LiveMessagePack.Options);

        // ServerTime is null here: JSON leaves it out, and so does MessagePack.
        var json = JsonNode.Parse(JsonSerializer.Serialize(snapshot, Web));
        WireJson.AssertSameShape(json, JsonNode.Parse(MessagePackSerializer.ConvertToJson(bytes)), "snapshot as written", sameValues: true);

        // Read back, the amounts are the same numbers (59.9 rather than 59.90: a float64 keeps no scale).
        var read = MessagePackSerializer.Deserialize<RoomSnapshot>(bytes, LiveMessagePack.Options);
        WireJson.AssertSameShape(json, JsonNode.Parse(JsonSerializer.Serialize(read, Web)), "snapshot read back", sameValues: true);
    }

    [Fact]
    public void ReadingMatchesNamesLikeJsonAndSkipsFieldsItDoesNotKnow()
    {
        // { "SaleId": "s", "remaining": 2, "sold": 3, "recentBuyers": ["Mei"], "addedLater": { "x": [1] } }
        var bytes = MessagePackSerializer.Serialize(
            new Dictionary<string, object> { ["SaleId"] = "s", ["remaining"] = 2, ["sold"] = 3, ["recentBuyers"] = new[] { "Mei" }, ["addedLater"] = new Dictionary<string, object> { ["x"] = new[] { 1 } } },
            MessagePackSerializerOptions.Standard);

        var progress = MessagePackSerializer.Deserialize<FlashSaleProgress>(bytes, LiveMessagePack.Options);

        Assert.Equal("s", progress.SaleId);
        Assert.Equal(2, progress.Remaining);
        Assert.Equal(3, progress.Sold);
        Assert.Equal(["Mei"], progress.RecentBuyers);
    }
}
