using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Grains.FlashSales;
using Microsoft.Extensions.Time.Testing;

namespace Live.Grains.Tests.FlashSales;

public sealed class PurchaseDecisionTests
{
    private static readonly Caller Ann = new() { UserId = "user_ann", DisplayName = "Ann" };

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AConfirmationTakesItsUnitsCountsThemForTheBuyerRecordsTheAnswerAndQueuesTheOrder()
    {
        var state = NewState(remaining: 7);
        state.PerUser[Ann.UserId] = 1;
        var earlierOrder = FlashSaleRules.Decide(NewState(remaining: 7), Ann, 1, "r0", _clock.GetUtcNow()).Order!;
        state.Outbox.Add(earlierOrder);
        var decision = FlashSaleRules.Decide(state, Ann, 2, "r1", _clock.GetUtcNow());

        decision.ApplyTo(state);

        Assert.Equal(5, state.Sale!.Remaining);
        Assert.Equal(3, state.PerUser[Ann.UserId]);
        Assert.Equal(decision.Result, Assert.Single(state.Requests).Value);
        Assert.Equal([earlierOrder.Id, decision.Order!.Id], state.Outbox.Select(o => o.Id));
    }

    [Fact]
    public void ARefusalOnlyRecordsTheAnswer()
    {
        var state = NewState(remaining: 1);
        var sale = state.Sale;
        var decision = FlashSaleRules.Decide(state, Ann, 2, "r1", _clock.GetUtcNow());

        decision.ApplyTo(state);

        Assert.Equal(PurchaseStatus.SoldOut, decision.Result.Status);
        Assert.Same(sale, state.Sale);
        Assert.Empty(state.PerUser);
        Assert.Empty(state.Outbox);
        Assert.Equal(decision.Result, state.Requests[FlashSaleState.RequestKey(Ann.UserId, "r1")]);
    }

    [Fact]
    public void AnAppliedAnswerIsWhatTheSameRequestGetsAgain()
    {
        var state = NewState(remaining: 7);
        var decision = FlashSaleRules.Decide(state, Ann, 2, "r1", _clock.GetUtcNow());

        decision.ApplyTo(state);

        Assert.Equal(decision.Result, FlashSaleRules.Replay(state, Ann.UserId, 2, "r1"));
        Assert.Null(FlashSaleRules.Replay(state, Ann.UserId, 2, "r2"));
    }

    private FlashSaleState NewState(int remaining) => new()
    {
        HostId = "host_1",
        Sale = new FlashSale
        {
            Id = "sale_1",
            RoomId = "room_1",
            Product = new Product { Id = "prod_scarf", Name = "Silk scarf", Brand = "Acme", Price = 199.99m, Currency = "EUR" },
            Price = 99m,
            Quantity = 10,
            Remaining = remaining,
            PerUserLimit = 3,
            Status = SaleStatus.Active,
            EndsAt = _clock.GetUtcNow().AddSeconds(60),
        },
    };
}
