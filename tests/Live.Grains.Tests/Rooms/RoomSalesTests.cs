using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Grains.Rooms;
using Microsoft.Extensions.Time.Testing;

namespace Live.Grains.Tests.Rooms;

public sealed class RoomSalesTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<FlashSale> _stored = [];
    private readonly RoomSales _sales;

    public RoomSalesTests() => _sales = new RoomSales(_stored);

    [Fact]
    public void ASaleSeenEndedAtTwoChecksIsTheRoomsToAnnounce()
    {
        Assert.False(_sales.EndedAgain("sale_1"));
        Assert.False(_sales.EndedAgain("sale_2"));
        Assert.True(_sales.EndedAgain("sale_1"));
        Assert.True(_sales.EndedAgain("sale_1"));
    }

    [Fact]
    public void ASaleIsOverdueTwoSecondsAfterItsEnd()
    {
        var early = Sale("sale-1", endsIn: TimeSpan.FromSeconds(1));
        var late = Sale("sale-2", endsIn: TimeSpan.FromSeconds(5));
        _sales.Add(early);
        _sales.Add(late);

        Assert.Equal([early], _sales.OverdueToCheck(_time.GetUtcNow() + TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public void ASaleWithinItsGraceIsNotOverdue()
    {
        _sales.Add(Sale("sale-1", endsIn: TimeSpan.FromSeconds(1)));

        Assert.Empty(_sales.OverdueToCheck(_time.GetUtcNow() + TimeSpan.FromSeconds(3) - TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void TheRoomChecksOverdueSalesAtMostOncePerGrace()
    {
        var sale = Sale("sale-1", endsIn: TimeSpan.Zero);
        _sales.Add(sale);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([sale], _sales.OverdueToCheck(_time.GetUtcNow()));

        _time.Advance(RoomSales.EndGrace - TimeSpan.FromTicks(1));
        Assert.Empty(_sales.OverdueToCheck(_time.GetUtcNow()));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal([sale], _sales.OverdueToCheck(_time.GetUtcNow()));
    }

    [Fact]
    public void ACheckThatFoundNothingOverdueStillCountsAsTheLastCheck()
    {
        var sale = Sale("sale-1", endsIn: TimeSpan.FromSeconds(1));
        _sales.Add(sale);
        _time.Advance(TimeSpan.FromMilliseconds(2500));
        Assert.Empty(_sales.OverdueToCheck(_time.GetUtcNow()));

        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Empty(_sales.OverdueToCheck(_time.GetUtcNow()));

        _time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal([sale], _sales.OverdueToCheck(_time.GetUtcNow()));
    }

    [Fact]
    public void AnActiveSalesReportReplacesItsEntry()
    {
        var sale = Sale("sale-1", endsIn: TimeSpan.FromMinutes(1));
        var other = Sale("sale-2", endsIn: TimeSpan.FromMinutes(1));
        _sales.Add(sale);
        _sales.Add(other);
        var progressed = sale with { Remaining = 3 };

        Assert.True(_sales.Apply(progressed));

        Assert.Equal([progressed, other], _stored);
    }

    [Theory]
    [InlineData(SaleStatus.Ended)]
    [InlineData(SaleStatus.SoldOut)]
    public void AClosedSalesReportRemovesIt(string status)
    {
        var sale = Sale("sale-1", endsIn: TimeSpan.FromMinutes(1));
        var other = Sale("sale-2", endsIn: TimeSpan.FromMinutes(1));
        _sales.Add(sale);
        _sales.Add(other);

        Assert.True(_sales.Apply(sale with { Status = status }));

        Assert.Equal([other], _sales.ToArray());
    }

    [Theory]
    [InlineData(SaleStatus.Active)]
    [InlineData(SaleStatus.Ended)]
    public void AReportOfASaleTheRoomDoesNotListChangesNothing(string status)
    {
        var sale = Sale("sale-1", endsIn: TimeSpan.FromMinutes(1));
        _sales.Add(sale);

        Assert.False(_sales.Apply(Sale("sale-9", endsIn: TimeSpan.FromMinutes(1)) with { Status = status }));

        Assert.Equal([sale], _stored);
    }

    [Fact]
    public void AnEndReportedByTheSaleIsOwedItsAnnouncementUntilItComesOrTheGracePasses()
    {
        var now = _time.GetUtcNow();
        var announced = Sale("sale-1", endsIn: TimeSpan.FromMinutes(1));
        var lost = Sale("sale-2", endsIn: TimeSpan.FromMinutes(1));
        var open = Sale("sale-3", endsIn: TimeSpan.FromMinutes(1));
        _sales.Add(announced);
        _sales.Add(lost);
        _sales.Add(open);

        Assert.True(_sales.ApplyReport(announced with { Status = SaleStatus.SoldOut }, now));
        Assert.True(_sales.ApplyReport(lost with { Status = SaleStatus.Ended }, now));
        Assert.True(_sales.ApplyReport(open with { Remaining = 1 }, now));
        Assert.False(_sales.ApplyReport(Sale("sale-9", endsIn: TimeSpan.FromMinutes(1)) with { Status = SaleStatus.Ended }, now));
        Assert.True(_sales.OwesEnds);

        _sales.Announced("sale-1");
        Assert.Empty(_sales.EndsOwed(now + RoomSales.EndAnnouncementGrace - TimeSpan.FromMilliseconds(1)));

        // Past the grace the lost one is due, once; an active sale's report owes nothing.
        Assert.Equal(["sale-2"], _sales.EndsOwed(now + RoomSales.EndAnnouncementGrace).Select(s => s.Id));
        Assert.Empty(_sales.EndsOwed(now + (RoomSales.EndAnnouncementGrace * 2)));
        Assert.False(_sales.OwesEnds);
        Assert.Equal([open with { Remaining = 1 }], _stored);
    }

    [Fact]
    public void RemovingAndClearingChangeTheStoredList()
    {
        var sale = Sale("sale-1", endsIn: TimeSpan.FromMinutes(1));
        var other = Sale("sale-2", endsIn: TimeSpan.FromMinutes(1));
        _sales.Add(sale);
        _sales.Add(other);

        _sales.Remove("sale-1");
        Assert.Equal([other], _stored);

        _sales.Clear();
        Assert.Empty(_stored);
    }

    private FlashSale Sale(string id, TimeSpan endsIn) => new()
    {
        Id = id,
        RoomId = "room-1",
        Product = new Product { Id = "prod-1", Name = "Silk scarf", Brand = "Acme", Price = 20m, Currency = "EUR" },
        Price = 10m,
        Quantity = 5,
        Remaining = 5,
        PerUserLimit = 1,
        Status = SaleStatus.Active,
        EndsAt = _time.GetUtcNow() + endsIn,
    };
}
