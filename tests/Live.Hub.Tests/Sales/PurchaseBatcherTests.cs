using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Hub.Sales;

namespace Live.Hub.Tests.Sales;

/// <summary>
/// The hub's batching of <c>BuyNow</c> calls per sale, over a sale grain the test answers by hand: when a purchase
/// leaves, with which others, and that each gets its own answer.
/// </summary>
public sealed class PurchaseBatcherTests
{
    private readonly ScriptedSale _sale = new();

    [Fact]
    public async Task APurchaseThatFindsFewerCallsInFlightLeavesAtOnce()
    {
        var batcher = Batcher(callsInFlight: 2);

        var first = batcher.BuyNowAsync("sale-1", Buyer("a"), 1, "r1");
        var second = batcher.BuyNowAsync("sale-1", Buyer("b"), 1, "r2");

        Assert.Equal([["r1"], ["r2"]], _sale.Calls.Select(c => c.RequestIds));
        _sale.Calls[1].Answer();
        _sale.Calls[0].Answer();
        Assert.Equal("r1", (await first).Result.OrderId);
        Assert.Equal("r2", (await second).Result.OrderId);
    }

    [Fact]
    public async Task PurchasesArrivingWhileTheCallsAreInFlightLeaveTogetherWhenOneReturns()
    {
        var batcher = Batcher(callsInFlight: 1);
        var first = batcher.BuyNowAsync("sale-1", Buyer("a"), 1, "r1");
        var waiting = new[] { "r2", "r3", "r4" }.Select(id => batcher.BuyNowAsync("sale-1", Buyer(id), 1, id)).ToArray();

        Assert.Single(_sale.Calls);
        _sale.Calls[0].Answer();
        await first;

        var batch = Assert.Single(_sale.Calls.Skip(1));
        Assert.Equal(["r2", "r3", "r4"], batch.RequestIds);
        Assert.Equal(["r2", "r3", "r4"], batch.Purchases.Select(p => p.Buyer.UserId));
        batch.Answer();
        Assert.Equal(["r2", "r3", "r4"], (await Task.WhenAll(waiting)).Select(o => o.Result.OrderId));
        Assert.Equal(0, batcher.ActiveSales);
    }

    [Fact]
    public async Task ABatchIsAtMostMaxPurchaseBatchAndTheRestLeavesNext()
    {
        var batcher = Batcher(callsInFlight: 1, maxBatch: 2);
        var first = batcher.BuyNowAsync("sale-1", Buyer("a"), 1, "r1");
        var waiting = new[] { "r2", "r3", "r4" }.Select(id => batcher.BuyNowAsync("sale-1", Buyer(id), 1, id)).ToArray();

        _sale.Calls[0].Answer();
        await first;
        Assert.Equal(["r2", "r3"], _sale.Calls[1].RequestIds);
        _sale.Calls[1].Answer();
        Assert.Equal(["r4"], _sale.Calls[2].RequestIds);
        _sale.Calls[2].Answer();

        await Task.WhenAll(waiting);
    }

    [Fact]
    public async Task EachPurchaseOfABatchGetsItsOwnAnswerOrItsOwnError()
    {
        var batcher = Batcher(callsInFlight: 1);
        var first = batcher.BuyNowAsync("sale-1", Buyer("a"), 1, "r1");
        var fine = batcher.BuyNowAsync("sale-1", Buyer("b"), 1, "fine");
        var refused = batcher.BuyNowAsync("sale-1", Buyer("c"), 1, "refused");
        _sale.Calls[0].Answer();
        await first;

        _sale.Calls[1].Answer(p => p.RequestId == "refused" ? PurchaseReply.Failed(LiveException.Forbidden("banned")) : null);

        Assert.Equal("fine", (await fine).Result.OrderId);
        var error = await Assert.ThrowsAsync<LiveException>(() => refused);
        Assert.Equal((ErrorCodes.Forbidden, "banned"), (error.Code, error.Message));
    }

    [Fact]
    public async Task ACallThatFailsFailsEachOfItsPurchasesAndLeavesNothingBehind()
    {
        var batcher = Batcher(callsInFlight: 1);
        var first = batcher.BuyNowAsync("sale-1", Buyer("a"), 1, "r1");
        var second = batcher.BuyNowAsync("sale-1", Buyer("b"), 1, "r2");
        var third = batcher.BuyNowAsync("sale-1", Buyer("c"), 1, "r3");

        _sale.Calls[0].Fail(new TimeoutException("silo gone"));
        await Assert.ThrowsAsync<TimeoutException>(() => first);
        _sale.Calls[1].Fail(new TimeoutException("silo gone"));

        await Assert.ThrowsAsync<TimeoutException>(() => second);
        await Assert.ThrowsAsync<TimeoutException>(() => third);
        Assert.Equal(0, batcher.ActiveSales);

        // The sale's queue starts again from nothing.
        var again = batcher.BuyNowAsync("sale-1", Buyer("a"), 1, "r1");
        _sale.Calls[2].Answer();
        Assert.Equal("r1", (await again).Result.OrderId);
    }

    [Fact]
    public async Task SalesAreBatchedApart()
    {
        var batcher = Batcher(callsInFlight: 1);
        var one = batcher.BuyNowAsync("sale-1", Buyer("a"), 1, "r1");
        var two = batcher.BuyNowAsync("sale-2", Buyer("a"), 1, "r2");

        Assert.Equal(["sale-1", "sale-2"], _sale.Calls.Select(c => c.SaleId));
        Assert.Equal(2, batcher.ActiveSales);
        _sale.Calls[0].Answer();
        _sale.Calls[1].Answer();
        await Task.WhenAll(one, two);
        Assert.Equal(0, batcher.ActiveSales);
    }

    private PurchaseBatcher Batcher(int callsInFlight, int maxBatch = 256) =>
        new(_sale.For, new LiveHubOptions { PurchaseCallsInFlight = callsInFlight, MaxPurchaseBatch = maxBatch });

    private static Caller Buyer(string userId) => new() { UserId = userId, DisplayName = userId };

    /// <summary>A sale grain whose <c>BuyNowMany</c> calls wait until the test answers them.</summary>
    private sealed class ScriptedSale
    {
        public List<Call> Calls { get; } = [];

        public IFlashSaleGrain For(string saleId) => new Grain(this, saleId);

        public sealed class Call(string saleId, IReadOnlyList<PurchaseRequest> purchases)
        {
            private readonly TaskCompletionSource<IReadOnlyList<PurchaseReply>> _reply = new();

            public string SaleId => saleId;

            public IReadOnlyList<PurchaseRequest> Purchases => purchases;

            public string[] RequestIds => [.. purchases.Select(p => p.RequestId)];

            public Task<IReadOnlyList<PurchaseReply>> Reply => _reply.Task;

            /// <summary>Confirms every purchase (the order id is the request id), unless <paramref name="otherwise"/> says.</summary>
            public void Answer(Func<PurchaseRequest, PurchaseReply?>? otherwise = null) =>
                _reply.SetResult([.. purchases.Select(p => otherwise?.Invoke(p) ?? PurchaseReply.Of(Confirmed(p)))]);

            public void Fail(Exception exception) => _reply.SetException(exception);

            private static PurchaseOutcome Confirmed(PurchaseRequest p) => new()
            {
                Result = new PurchaseResult { Status = PurchaseStatus.Confirmed, Quantity = p.Quantity, Remaining = 0, OrderId = p.RequestId },
            };
        }

        private sealed class Grain(ScriptedSale sale, string saleId) : IFlashSaleGrain
        {
            public Task<IReadOnlyList<PurchaseReply>> BuyNowManyAsync(IReadOnlyList<PurchaseRequest> purchases)
            {
                var call = new Call(saleId, purchases);
                sale.Calls.Add(call);
                return call.Reply;
            }

            public Task<PurchaseOutcome> BuyNowAsync(Caller buyer, int quantity, string requestId) => throw new NotSupportedException();

            public Task<FlashSale> StartAsync(string hostId, string roomId, Product product, NewFlashSale input, IReadOnlyCollection<string> bannedBuyers) => throw new NotSupportedException();

            public Task SetBuyerBannedAsync(string userId, bool banned) => throw new NotSupportedException();

            public Task<FlashSale> GetAsync() => throw new NotSupportedException();

            public Task<FlashSale> EndAsync(string hostId) => throw new NotSupportedException();

            public Task<FlashSale> EndForRoomAsync() => throw new NotSupportedException();

            public Task<FlashSaleLedgerPage> ReadLedgerAsync(string hostId, long after, int limit) => throw new NotSupportedException();

            public Task<FlashSaleAudit> AuditAsync(string hostId) => throw new NotSupportedException();
        }
    }
}
