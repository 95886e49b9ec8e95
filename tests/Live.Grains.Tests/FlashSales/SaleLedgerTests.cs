using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Grains.FlashSales;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Live.Grains.Tests.FlashSales;

/// <summary>
/// The ledger's rules without a cluster: the state a sale's entries rebuild (from the first entry, or from a snapshot
/// and the tail) is the state its decisions made, and the auditor's checks.
/// </summary>
public sealed class SaleLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Product Scarf = new() { Id = "prod_scarf", Name = "Silk scarf", Brand = "Acme", Price = 199.99m, Currency = "EUR" };

    private static readonly IServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    private readonly Serializer<SaleEntry> _entries = Services.GetRequiredService<Serializer<SaleEntry>>();
    private readonly Serializer<FlashSaleState> _states = Services.GetRequiredService<Serializer<FlashSaleState>>();

    [Fact]
    public void TheStoredEntriesRebuildTheStateTheDecisionsMadeFromTheStartOrFromASnapshot()
    {
        var (live, stored, snapshotAt, snapshot) = Rush();

        var fromStart = new FlashSaleState();
        foreach (var payload in stored)
        {
            SaleLedger.Apply(fromStart, _entries.Deserialize(payload)!);
        }

        var fromSnapshot = _states.Deserialize(snapshot)!;
        foreach (var payload in stored.Skip(snapshotAt))
        {
            SaleLedger.Apply(fromSnapshot, _entries.Deserialize(payload)!);
        }

        // Every member, in order: the sale, counts, answers (and their times), outbox, bans and flags. (Compared as
        // JSON: the binary format also records which strings are the same instance, which a rebuild need not keep.)
        Assert.Equal(Json(live), Json(fromStart));
        Assert.Equal(Json(live), Json(fromSnapshot));
        Assert.Equal(1, live.Sale!.Remaining);
        Assert.Equal(SaleStatus.Ended, live.Sale.Status);
    }

    [Fact]
    public void TheAuditOfAnHonestLedgerIsConsistentOnceEveryOrderIsFound()
    {
        var (_, stored, _, _) = Rush();
        var auditor = new SaleAuditor();
        for (var i = 0; i < stored.Count; i++)
        {
            auditor.Add(i + 1, _entries.Deserialize(stored[i])!);
        }

        var audit = auditor.Result("sale_1", orders: 9);
        Assert.Equal((10, 9, 1, 9, true), (audit.Quantity, audit.Confirmed, audit.Remaining, audit.Orders, audit.Consistent));
        Assert.Empty(audit.Problems);
        Assert.Equal(10, audit.Decisions);

        var missing = auditor.Result("sale_1", orders: 8);
        Assert.False(missing.Consistent);
        Assert.Equal("9 units confirmed, 8 found in the buyers' order books", Assert.Single(missing.Problems));
    }

    [Fact]
    public void TheAuditFindsAnOversaleABuyerOverTheLimitAndAGap()
    {
        var auditor = new SaleAuditor();
        var sale = FlashSaleRules.Open("sale_1", "room_1", Scarf, new NewFlashSale { ProductId = Scarf.Id, Price = 10m, Quantity = 2, PerUserLimit = 1, DurationSeconds = 60 }, Start);
        auditor.Add(1, new SaleEntry { Kind = SaleEntryKind.Started, At = Start, Sale = sale, HostId = "host_1", Users = [] });
        auditor.Add(2, Confirmed("user_a", "r1", remaining: 1));
        auditor.Add(3, Confirmed("user_a", "r2", remaining: 0));
        auditor.Add(5, Confirmed("user_b", "r1", remaining: -1));

        var audit = auditor.Result("sale_1", orders: 3);

        Assert.False(audit.Consistent);
        Assert.Equal(
            [
                "entry 3: user_a bought 2, over the limit of 1",
                "entry 5 follows entry 3",
                "entry 5: remaining -1 after 0 (expected -1)",
                "oversold: 3 confirmed of 2",
            ],
            audit.Problems);
    }

    [Fact]
    public void TheAuditFindsARequestConfirmedTwice()
    {
        var auditor = new SaleAuditor();
        var sale = FlashSaleRules.Open("sale_1", "room_1", Scarf, new NewFlashSale { ProductId = Scarf.Id, Price = 10m, Quantity = 5, PerUserLimit = 3, DurationSeconds = 60 }, Start);
        auditor.Add(1, new SaleEntry { Kind = SaleEntryKind.Started, At = Start, Sale = sale, HostId = "host_1", Users = [] });
        auditor.Add(2, Confirmed("user_a", "r1", remaining: 4));
        auditor.Add(3, Confirmed("user_b", "r1", remaining: 3));
        auditor.Add(4, Confirmed("user_a", "r1", remaining: 2));

        var audit = auditor.Result("sale_1", orders: 3);

        Assert.False(audit.Consistent);
        Assert.Equal(["entry 4: request r1 of user_a confirmed twice"], audit.Problems);
        Assert.Equal(4, auditor.Position);
    }

    /// <summary>The state as JSON, its set of banned buyers sorted: a set's order follows its history, which a rebuild need not repeat.</summary>
    private static string Json(FlashSaleState state)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(state)!.AsObject();
        json["BannedBuyers"] = new System.Text.Json.Nodes.JsonArray([.. state.BannedBuyers.Order(StringComparer.Ordinal).Select(b => (System.Text.Json.Nodes.JsonNode?)b)]);
        return json.ToJsonString();
    }

    private static SaleEntry Confirmed(string userId, string requestId, int remaining) => new()
    {
        Kind = SaleEntryKind.Decided,
        At = Start,
        RequestId = requestId,
        UserId = userId,
        Quantity = 1,
        Status = PurchaseStatus.Confirmed,
        Remaining = remaining,
        OrderId = Ids.New("ord"),
    };

    /// <summary>
    /// A sale of 10 (2 per buyer) through the rules as the grain drives them: confirmations, refusals, a replay, a ban
    /// and an unban, deliveries and the end. Returns the live state, the stored entries, and a snapshot copied midway and serialized at the end.
    /// </summary>
    private (FlashSaleState Live, List<byte[]> Stored, int SnapshotAt, byte[] Snapshot) Rush()
    {
        var state = new FlashSaleState();
        var stored = new List<byte[]>();
        var snapshotAt = 0;
        FlashSaleState? copy = null;
        string? copiedAs = null;
        var now = Start;

        void Raise(SaleEntry entry)
        {
            SaleLedger.Apply(state, entry);
            stored.Add(_entries.SerializeToArray(entry));
        }

        var terms = new NewFlashSale { ProductId = Scarf.Id, Price = 49.9m, Quantity = 10, PerUserLimit = 2, DurationSeconds = 60 };
        Raise(new SaleEntry { Kind = SaleEntryKind.Started, At = now, Sale = FlashSaleRules.Open("sale_1", "room_1", Scarf, terms, now), HostId = "host_1", Users = ["user_x"] });
        var buys = new (string User, int Quantity, string RequestId)[]
        {
            ("user_a", 2, "r1"), ("user_a", 1, "r2"), ("user_b", 1, "r1"), ("user_a", 2, "r1"), ("user_c", 2, "r1"),
            ("user_b", 1, "r2"), ("user_d", 3, "r1"), ("user_d", 1, "r2"), ("user_b", 1, "r3"), ("user_e", 1, "r1"),
            ("user_f", 1, "r1"),
        };
        foreach (var (user, quantity, requestId) in buys)
        {
            now = now.AddSeconds(1);
            if (FlashSaleRules.Replay(state, user, quantity, requestId) is not null)
            {
                continue;
            }

            var decision = FlashSaleRules.Decide(state, new Caller { UserId = user, DisplayName = user }, quantity, requestId, now);
            Raise(decision.Entry);
            if (stored.Count == 6)
            {
                Raise(new SaleEntry { Kind = SaleEntryKind.Banned, At = now, UserId = "user_y" });
                Raise(new SaleEntry { Kind = SaleEntryKind.Unbanned, At = now, UserId = "user_x" });
                Raise(new SaleEntry { Kind = SaleEntryKind.Delivered, At = now, OrderIds = [.. state.Outbox.Take(2).Select(o => o.Id)] });
                snapshotAt = stored.Count;
                copy = state.Copy();
                copiedAs = Json(state);
            }
        }

        Raise(new SaleEntry { Kind = SaleEntryKind.Banned, At = now, UserId = "user_z" });
        Raise(new SaleEntry { Kind = SaleEntryKind.Ended, At = now, Status = SaleStatus.Ended });
        Raise(new SaleEntry { Kind = SaleEntryKind.StockReturned, At = now });

        // As the grain does: the state is copied in one turn and serialized later, while decisions go on changing it.
        // The copy still holds every member as it was (none shared with the state, none left out).
        Assert.Equal(copiedAs, Json(copy!));
        Assert.NotEqual(copiedAs, Json(state));
        return (state, stored, snapshotAt, _states.SerializeToArray(copy!));
    }
}
