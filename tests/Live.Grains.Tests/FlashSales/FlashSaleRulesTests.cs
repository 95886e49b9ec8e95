using System.Globalization;
using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Grains.FlashSales;
using Microsoft.Extensions.Time.Testing;

namespace Live.Grains.Tests.FlashSales;

public sealed class FlashSaleRulesTests
{
    private static readonly Product Scarf = new()
    {
        Id = "prod_scarf",
        Name = "Silk scarf",
        Brand = "Acme",
        Price = 199.99m,
        Currency = "EUR",
    };

    private static readonly Caller Ann = new() { UserId = "user_ann", DisplayName = "Ann" };

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private readonly FlashSaleRules _rules = new(new FlashSaleOptions { MaxQuantity = 100, MinDurationSeconds = 5, MaxDurationSeconds = 600 });

    [Theory]
    [InlineData("49.90", 100, 100, 5)]
    [InlineData("0.01", 1, 1, 600)]
    public void TermsWithinTheLimitsOpenASale(string price, int quantity, int perUserLimit, int durationSeconds)
    {
        _rules.ValidateNew(Terms(price, quantity, perUserLimit, durationSeconds));
    }

    [Theory]
    [InlineData("0", 10, 1, 60, "price must be greater than 0, at most 10000000, with at most two decimals")]
    [InlineData("1.005", 10, 1, 60, "price must be greater than 0, at most 10000000, with at most two decimals")]
    [InlineData("10000000.01", 10, 1, 60, "price must be greater than 0, at most 10000000, with at most two decimals")]
    [InlineData("0", 0, 0, 0, "price must be greater than 0, at most 10000000, with at most two decimals")]
    [InlineData("99", 0, 1, 60, "quantity must be 1 to 100")]
    [InlineData("99", 101, 1, 60, "quantity must be 1 to 100")]
    [InlineData("99", 0, 0, 0, "quantity must be 1 to 100")]
    [InlineData("99", 10, 0, 60, "perUserLimit must be 1 to quantity")]
    [InlineData("99", 10, 11, 60, "perUserLimit must be 1 to quantity")]
    [InlineData("99", 10, 0, 0, "perUserLimit must be 1 to quantity")]
    [InlineData("99", 10, 1, 4, "durationSeconds must be 5 to 600")]
    [InlineData("99", 10, 1, 601, "durationSeconds must be 5 to 600")]
    public void TermsOutsideTheLimitsAreInvalidNamingTheFirstBadField(string price, int quantity, int perUserLimit, int durationSeconds, string message)
    {
        var error = Assert.Throws<LiveException>(() => _rules.ValidateNew(Terms(price, quantity, perUserLimit, durationSeconds)));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void ARepeatedStartTakesTheRoomsBansAsTheyAreNowUnlessTheSaleIsOver()
    {
        var now = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        var state = new FlashSaleState
        {
            Sale = FlashSaleRules.Open("sale_1", "room_1", Scarf, new NewFlashSale { ProductId = Scarf.Id, Price = 5m, Quantity = 10, PerUserLimit = 1, DurationSeconds = 60 }, now),
            BannedBuyers = ["ann", "bob"],
        };

        Assert.Equal([("ann", false), ("cat", true), ("dan", true)], FlashSaleRules.BanChangesTo(state, ["dan", "bob", "cat"]));
        Assert.Empty(FlashSaleRules.BanChangesTo(state, ["bob", "ann"]));

        state.Sale = state.Sale with { Status = SaleStatus.Ended };
        Assert.Empty(FlashSaleRules.BanChangesTo(state, []));
    }

    [Fact]
    public void AnOpenedSaleIsActiveWithItsWholeQuantityUntilItsDurationHasPassed()
    {
        var sale = FlashSaleRules.Open("sale_1", "room_1", Scarf, Terms("49.90", 30, 2, 90), _clock.GetUtcNow());

        Assert.Equal(
            new FlashSale
            {
                Id = "sale_1",
                RoomId = "room_1",
                Product = Scarf,
                Price = 49.90m,
                Quantity = 30,
                Remaining = 30,
                PerUserLimit = 2,
                Status = SaleStatus.Active,
                EndsAt = new DateTimeOffset(2026, 3, 1, 12, 1, 30, TimeSpan.Zero),
            },
            sale);
    }

    [Fact]
    public void AnActiveSaleIsOverdueFromItsEndTimeOn()
    {
        var sale = Sale(status: SaleStatus.Active);

        _clock.Advance(TimeSpan.FromSeconds(59.999));
        Assert.False(FlashSaleRules.IsOverdue(sale, _clock.GetUtcNow()));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(FlashSaleRules.IsOverdue(sale, _clock.GetUtcNow()));
    }

    [Theory]
    [InlineData(SaleStatus.Ended)]
    [InlineData(SaleStatus.SoldOut)]
    public void ASaleThatIsOverIsNeverOverdue(string status)
    {
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.False(FlashSaleRules.IsOverdue(Sale(status: status), _clock.GetUtcNow()));
        Assert.False(FlashSaleRules.IsOverdue(null, _clock.GetUtcNow()));
    }

    [Theory]
    [InlineData(SaleStatus.Active, 4, false, false)]
    [InlineData(SaleStatus.Ended, 4, false, true)]
    [InlineData(SaleStatus.Ended, 4, true, false)]
    [InlineData(SaleStatus.Ended, 0, false, false)]
    [InlineData(SaleStatus.SoldOut, 0, false, false)]
    public void OnlyASaleThatIsOverWithUnsoldUnitsNotYetReturnedNeedsItsStockReturned(string status, int remaining, bool returned, bool needed)
    {
        var state = StateOf(Sale(status: status, remaining: remaining));
        state.StockReturned = returned;

        Assert.Equal(needed, FlashSaleRules.NeedsStockReturn(state));
    }

    [Fact]
    public void NoSaleNeedsNoStockReturned()
    {
        Assert.False(FlashSaleRules.NeedsStockReturn(new FlashSaleState()));
    }

    [Fact]
    public void ANewRequestWithAValidQuantityHasNoEarlierAnswer()
    {
        var state = StateOf(Sale(quantity: 10));

        Assert.Null(FlashSaleRules.Replay(state, Ann.UserId, 1, "r1"));
        Assert.Null(FlashSaleRules.Replay(state, Ann.UserId, 10, "r1"));
    }

    [Fact]
    public void TheSameUsersRequestIdGetsItsEarlierAnswerWhateverQuantityItCarries()
    {
        var state = StateOf(Sale(quantity: 10));
        var earlier = new PurchaseResult { Status = PurchaseStatus.Confirmed, OrderId = "ord_1", Quantity = 2, Remaining = 8 };
        state.Requests[FlashSaleState.RequestKey(Ann.UserId, "r1")] = earlier;

        Assert.Same(earlier, FlashSaleRules.Replay(state, Ann.UserId, 2, "r1"));
        Assert.Same(earlier, FlashSaleRules.Replay(state, Ann.UserId, 0, "r1"));
        Assert.Same(earlier, FlashSaleRules.Replay(state, Ann.UserId, 11, "r1"));
    }

    [Fact]
    public void AnotherUsersRequestWithTheSameIdIsNew()
    {
        var state = StateOf(Sale(quantity: 10));
        state.Requests[FlashSaleState.RequestKey(Ann.UserId, "r1")] =
            new PurchaseResult { Status = PurchaseStatus.SoldOut, Quantity = 0, Remaining = 0 };

        Assert.Null(FlashSaleRules.Replay(state, "user_bob", 1, "r1"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(11)]
    public void ANewRequestForNoneOrMoreThanTheSaleQuantityIsInvalid(int quantity)
    {
        var error = Assert.Throws<LiveException>(() => FlashSaleRules.Replay(StateOf(Sale(quantity: 10)), Ann.UserId, quantity, "r1"));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Equal("quantity must be 1 to 10", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("\u00e9t\u00e9")]
    public void AMalformedRequestIdIsInvalidEvenWithAnEarlierAnswerOrABadQuantity(string requestId)
    {
        var state = StateOf(Sale(quantity: 10));
        state.Requests[FlashSaleState.RequestKey(Ann.UserId, requestId)] =
            new PurchaseResult { Status = PurchaseStatus.SoldOut, Quantity = 0, Remaining = 0 };

        var error = Assert.Throws<LiveException>(() => FlashSaleRules.Replay(state, Ann.UserId, 0, requestId));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Equal("requestId must be 1 to 100 printable ASCII characters", error.Message);
    }

    [Fact]
    public void ARequestIdOfAHundredCharactersIsValidAndOneMoreIsNot()
    {
        var state = StateOf(Sale(quantity: 10));

        Assert.Null(FlashSaleRules.Replay(state, Ann.UserId, 1, new string('r', 100)));
        Assert.Throws<LiveException>(() => FlashSaleRules.Replay(state, Ann.UserId, 1, new string('r', 101)));
    }

    [Fact]
    public void APurchaseWithinStockAndLimitIsConfirmedWithItsOrder()
    {
        var state = StateOf(Sale(quantity: 10, remaining: 7, perUserLimit: 3, price: 49.9m));
        state.PerUser[Ann.UserId] = 1;
        _clock.Advance(TimeSpan.FromSeconds(12));

        var decision = FlashSaleRules.Decide(state, Ann, 2, "r1", _clock.GetUtcNow());

        Assert.True(decision.IsConfirmed);
        var order = decision.Order;
        Assert.StartsWith("ord_", order.Id, StringComparison.Ordinal);
        Assert.Equal(
            new Order
            {
                Id = order.Id,
                UserId = Ann.UserId,
                Items = order.Items,
                Total = 99.8m,
                Currency = "EUR",
                Status = OrderStatus.Confirmed,
                SaleId = "sale_1",
                CreatedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 12, TimeSpan.Zero),
            },
            order);
        Assert.Equal(new OrderItem { ProductId = Scarf.Id, Quantity = 2, Price = 49.9m }, Assert.Single(order.Items));
        Assert.Equal(
            new PurchaseResult { Status = PurchaseStatus.Confirmed, OrderId = order.Id, Quantity = 2, Remaining = 5 },
            decision.Result);
        Assert.Equal(
            new SaleEntry
            {
                Kind = SaleEntryKind.Decided,
                At = order.CreatedAt,
                RequestId = "r1",
                UserId = Ann.UserId,
                Quantity = 2,
                Status = PurchaseStatus.Confirmed,
                Remaining = 5,
                OrderId = order.Id,
            },
            decision.Entry);
        decision.ApplyTo(state);
        Assert.Equal(5, state.Sale!.Remaining);
        Assert.Equal(3, state.PerUser[Ann.UserId]);
        Assert.Equal(FlashSaleState.RequestKey(Ann.UserId, "r1"), decision.RequestKey);
    }

    [Fact]
    public void DecidingLeavesTheStateAsItWas()
    {
        var sale = Sale(quantity: 10, remaining: 7, perUserLimit: 3);
        var state = StateOf(sale);

        FlashSaleRules.Decide(state, Ann, 2, "r1", _clock.GetUtcNow());

        Assert.Same(sale, state.Sale);
        Assert.Empty(state.PerUser);
        Assert.Empty(state.Requests);
        Assert.Empty(state.Outbox);
    }

    [Fact]
    public void ThePurchaseOfTheLastUnitsSellsTheSaleOut()
    {
        var state = StateOf(Sale(quantity: 10, remaining: 2, perUserLimit: 2));

        var decision = FlashSaleRules.Decide(state, Ann, 2, "r1", _clock.GetUtcNow());

        Assert.Equal(PurchaseStatus.Confirmed, decision.Result.Status);
        Assert.Equal(0, decision.Result.Remaining);
        var expected = state.Sale! with { Remaining = 0, Status = SaleStatus.SoldOut };
        decision.ApplyTo(state);
        Assert.Equal(expected, state.Sale);
    }

    [Theory]
    [InlineData(SaleStatus.SoldOut, 0, 2, 2, PurchaseStatus.SoldOut)]
    [InlineData(SaleStatus.Ended, 5, 2, 2, PurchaseStatus.NotActive)]
    [InlineData(SaleStatus.Active, 1, 1, 2, PurchaseStatus.LimitExceeded)]
    [InlineData(SaleStatus.Active, 5, 2, 1, PurchaseStatus.LimitExceeded)]
    [InlineData(SaleStatus.Active, 1, 0, 2, PurchaseStatus.SoldOut)]
    public void ARefusalIsSoldOutThenNotActiveThenLimitExceededThenTooFewLeft(
        string status, int remaining, int alreadyBought, int quantity, string refusal)
    {
        var state = StateOf(Sale(quantity: 10, remaining: remaining, perUserLimit: 2, status: status));
        state.PerUser[Ann.UserId] = alreadyBought;

        var decision = FlashSaleRules.Decide(state, Ann, quantity, "r1", _clock.GetUtcNow());

        Assert.False(decision.IsConfirmed);
        Assert.Equal(new PurchaseResult { Status = refusal, Quantity = 0, Remaining = remaining }, decision.Result);
        Assert.Null(decision.Order);
        Assert.Equal((refusal, remaining, (string?)null), (decision.Entry.Status, decision.Entry.Remaining, decision.Entry.OrderId));
        Assert.Equal(FlashSaleState.RequestKey(Ann.UserId, "r1"), decision.RequestKey);
        Assert.Equal(status == SaleStatus.Active, decision.IsRecorded);
    }

    [Fact]
    public void AnEndedSaleAnswersEveryNewRequestNotActiveWithoutRecordingItAndAnEarlierRequestKeepsItsAnswer()
    {
        var state = StateOf(Sale(quantity: 10, perUserLimit: 2));
        var before = FlashSaleRules.Decide(state, Ann, 1, "before", _clock.GetUtcNow());
        Assert.True(before.IsRecorded);
        before.ApplyTo(state);
        state.Sale = state.Sale! with { Status = SaleStatus.Ended };

        foreach (var (buyer, requestId) in new[] { (Ann, "after"), (Ann, "again"), (new Caller { UserId = "user_bob", DisplayName = "Bob" }, "after") })
        {
            var after = FlashSaleRules.Decide(state, buyer, 1, requestId, _clock.GetUtcNow());
            Assert.False(after.IsRecorded);
            Assert.Equal(new PurchaseResult { Status = PurchaseStatus.NotActive, Quantity = 0, Remaining = 9 }, after.Result);
            Assert.Null(FlashSaleRules.Replay(state, buyer.UserId, 1, requestId));
        }

        Assert.Equal(before.Result, FlashSaleRules.Replay(state, Ann.UserId, 1, "before"));
    }

    [Fact]
    public void ABuyerBannedFromTheRoomIsForbiddenAndAnUnbannedOneMayBuyAgain()
    {
        var state = StateOf(Sale(quantity: 10));

        Assert.True(FlashSaleRules.SetBanned(state, Ann.UserId, banned: true));
        Assert.False(FlashSaleRules.SetBanned(state, Ann.UserId, banned: true));
        var error = Assert.Throws<LiveException>(() => FlashSaleRules.RequireNotBanned(state, Ann.UserId));
        Assert.Equal(ErrorCodes.Forbidden, error.Code);
        Assert.Equal("you are banned from room room_1", error.Message);
        FlashSaleRules.RequireNotBanned(state, "user_bob");

        Assert.True(FlashSaleRules.SetBanned(state, Ann.UserId, banned: false));
        Assert.False(FlashSaleRules.SetBanned(state, Ann.UserId, banned: false));
        FlashSaleRules.RequireNotBanned(state, Ann.UserId);
    }

    [Fact]
    public void ARequestAnsweredBeforeTheBanKeepsItsAnswer()
    {
        var state = StateOf(Sale(quantity: 10, perUserLimit: 2));
        var decision = FlashSaleRules.Decide(state, Ann, 1, "r1", _clock.GetUtcNow());
        decision.ApplyTo(state);
        FlashSaleRules.SetBanned(state, Ann.UserId, banned: true);

        Assert.Equal(decision.Result, FlashSaleRules.Replay(state, Ann.UserId, 1, "r1"));
        Assert.Null(FlashSaleRules.Replay(state, Ann.UserId, 1, "r2"));
        Assert.Throws<LiveException>(() => FlashSaleRules.RequireNotBanned(state, Ann.UserId));
    }

    [Fact]
    public void AnActiveSaleKeepsEveryAnswerAndAnEndedOneDropsThoseOlderThanTheWindow()
    {
        var window = TimeSpan.FromHours(24);
        var state = StateOf(Sale(quantity: 10, perUserLimit: 10));
        FlashSaleRules.Decide(state, Ann, 1, "old", _clock.GetUtcNow()).ApplyTo(state);
        _clock.Advance(TimeSpan.FromHours(20));
        FlashSaleRules.Decide(state, Ann, 1, "recent", _clock.GetUtcNow()).ApplyTo(state);
        _clock.Advance(TimeSpan.FromHours(5));

        Assert.Equal((0, null), FlashSaleRules.CompactRequests(state, window, _clock.GetUtcNow()));
        Assert.Equal(2, state.Requests.Count);

        state.Sale = state.Sale! with { Status = SaleStatus.Ended };
        var (dropped, nextDue) = FlashSaleRules.CompactRequests(state, window, _clock.GetUtcNow());

        Assert.Equal(1 + 1, dropped); // the old answer, and Ann's tally of units bought
        Assert.Equal(_clock.GetUtcNow().AddHours(19), nextDue);
        Assert.Null(FlashSaleRules.Replay(state, Ann.UserId, 1, "old"));
        Assert.NotNull(FlashSaleRules.Replay(state, Ann.UserId, 1, "recent"));

        // A dropped request id is a new request, which the ended sale refuses: nothing is bought twice.
        var retried = FlashSaleRules.Decide(state, Ann, 1, "old", _clock.GetUtcNow());
        Assert.Equal(PurchaseStatus.NotActive, retried.Result.Status);
        Assert.False(retried.IsConfirmed);
    }

    [Fact]
    public void ASaleThatIsOverDropsItsPerUserTalliesAtOnceAndStillRefusesEveryNewRequest()
    {
        var window = TimeSpan.FromHours(24);
        var state = StateOf(Sale(quantity: 10, perUserLimit: 1));
        FlashSaleRules.Decide(state, Ann, 1, "buy", _clock.GetUtcNow()).ApplyTo(state);
        var refused = FlashSaleRules.Decide(state, Ann, 1, "again", _clock.GetUtcNow());
        Assert.True(refused.IsRecorded);
        refused.ApplyTo(state);

        // Active: the limit rests on them.
        Assert.Equal((0, null), FlashSaleRules.CompactRequests(state, window, _clock.GetUtcNow()));
        Assert.Equal((1, 1), (state.PerUser[Ann.UserId], state.RefusedPerUser[Ann.UserId]));

        // Over: no decision reads them any more. The answers stay for the window; the tallies go now.
        state.Sale = state.Sale! with { Status = SaleStatus.Ended };
        var (dropped, nextDue) = FlashSaleRules.CompactRequests(state, window, _clock.GetUtcNow());
        Assert.Equal(2, dropped);
        Assert.Equal(_clock.GetUtcNow() + window, nextDue);
        Assert.Empty(state.PerUser);
        Assert.Empty(state.RefusedPerUser);
        Assert.Equal(2, state.Requests.Count);
        Assert.Equal(PurchaseStatus.Confirmed, FlashSaleRules.Replay(state, Ann.UserId, 1, "buy")!.Status);

        var late = FlashSaleRules.Decide(state, Ann, 1, "late", _clock.GetUtcNow());
        Assert.Equal(PurchaseStatus.NotActive, late.Result.Status);
        Assert.False(late.IsRecorded);
        Assert.Equal((0, nextDue), FlashSaleRules.CompactRequests(state, window, _clock.GetUtcNow()));
    }

    [Fact]
    public void AnActiveSaleRecordsAUsersRefusalsUpToItsBoundAndDecidesTheRestTheSameWayUnrecorded()
    {
        var state = StateOf(Sale(quantity: 10, perUserLimit: 1));
        var bought = FlashSaleRules.Decide(state, Ann, 1, "buy", _clock.GetUtcNow());
        bought.ApplyTo(state);

        // One client at its limit sending new request ids: the first refusals are recorded (the ledger's audit shows
        // them), then no more, so its entries stop growing.
        for (var i = 0; i < FlashSaleRules.MaxRecordedRefusalsPerUser + 50; i++)
        {
            var refused = FlashSaleRules.Decide(state, Ann, 1, $"again-{i}", _clock.GetUtcNow());
            Assert.Equal(PurchaseStatus.LimitExceeded, refused.Result.Status);
            Assert.Equal(i < FlashSaleRules.MaxRecordedRefusalsPerUser, refused.IsRecorded);
            if (refused.IsRecorded)
            {
                refused.ApplyTo(state);
            }
        }

        Assert.Equal(FlashSaleRules.MaxRecordedRefusalsPerUser + 1, state.Requests.Count);

        // An unrecorded request's retry is decided again, and refused again: the buyer's units only go up.
        var late = $"again-{FlashSaleRules.MaxRecordedRefusalsPerUser + 10}";
        Assert.Null(FlashSaleRules.Replay(state, Ann.UserId, 1, late));
        Assert.Equal(PurchaseStatus.LimitExceeded, FlashSaleRules.Decide(state, Ann, 1, late, _clock.GetUtcNow()).Result.Status);

        // Another user's refusals are their own.
        var bob = new Caller { UserId = "user_bob", DisplayName = "Bob" };
        Assert.True(FlashSaleRules.Decide(state, bob, 2, "greedy", _clock.GetUtcNow()).IsRecorded);
    }

    private static NewFlashSale Terms(string price, int quantity, int perUserLimit, int durationSeconds) => new()
    {
        ProductId = Scarf.Id,
        Price = decimal.Parse(price, CultureInfo.InvariantCulture),
        Quantity = quantity,
        PerUserLimit = perUserLimit,
        DurationSeconds = durationSeconds,
    };

    private FlashSale Sale(int quantity = 10, int? remaining = null, int perUserLimit = 1, decimal price = 99m, string status = SaleStatus.Active) => new()
    {
        Id = "sale_1",
        RoomId = "room_1",
        Product = Scarf,
        Price = price,
        Quantity = quantity,
        Remaining = remaining ?? quantity,
        PerUserLimit = perUserLimit,
        Status = status,
        EndsAt = _clock.GetUtcNow().AddSeconds(60),
    };

    private static FlashSaleState StateOf(FlashSale sale) => new() { Sale = sale, HostId = "host_1" };
}
