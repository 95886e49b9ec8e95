using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Grains.FlashSales;

namespace Live.Grains.Tests.FlashSales;

public sealed class RoomAnnouncementsTests
{
    private readonly RoomAnnouncements _announcements = new();

    [Fact]
    public void AnEventLeavesOnlyOnceTheRoomTookItAndAFailedOneIsOfferedAgainFirst()
    {
        var first = Progress("sale_a", 9);
        var end = new FlashSaleEndedEvent { RoomId = "room_1", Sale = Sale("sale_b") };
        _announcements.Add(first);
        _announcements.Add(end);

        Assert.Same(first, _announcements.Next());
        _announcements.Failed();
        Assert.True(_announcements.HasPending);

        // Offered again, first in line: the room's order is the sale's.
        Assert.Same(first, _announcements.Next());
        _announcements.Delivered();
        Assert.Same(end, _announcements.Next());
        _announcements.Delivered();

        Assert.False(_announcements.HasPending);
        Assert.Null(_announcements.Next());
    }

    [Fact]
    public void OneCallAtATime()
    {
        _announcements.Add(Progress("sale_a", 9));
        _announcements.Add(new FlashSaleEndedEvent { RoomId = "room_1", Sale = Sale("sale_a") });

        Assert.NotNull(_announcements.Next());
        Assert.Null(_announcements.Next());
    }

    [Fact]
    public void ANewerProgressReplacesAWaitingOneOfTheSameSaleButNotTheOneInFlight()
    {
        var inFlight = Progress("sale_a", 9);
        var waiting = Progress("sale_a", 8);
        var other = Progress("sale_b", 5);
        var newest = Progress("sale_a", 7);
        _announcements.Add(inFlight);
        Assert.Same(inFlight, _announcements.Next());

        _announcements.Add(waiting);
        _announcements.Add(other);
        _announcements.Add(newest);
        _announcements.Failed();

        Assert.Equal(3, _announcements.Count);
        List<RoomEvent> offered = [];
        while (_announcements.Next() is { } next)
        {
            offered.Add(next);
            _announcements.Delivered();
        }

        Assert.Equal([inFlight, other, newest], offered);
    }

    [Fact]
    public void AnEndIsNeverReplaced()
    {
        var end = new FlashSaleEndedEvent { RoomId = "room_1", Sale = Sale("sale_a") };
        _announcements.Add(Progress("sale_a", 0));
        _announcements.Add(end);
        _announcements.Add(new FlashSaleEndedEvent { RoomId = "room_1", Sale = Sale("sale_a") });

        Assert.Equal(3, _announcements.Count);
    }

    private static FlashSaleUpdatedEvent Progress(string saleId, int remaining) => new()
    {
        RoomId = "room_1",
        Progress = new FlashSaleProgress { SaleId = saleId, Remaining = remaining, Sold = 10 - remaining, RecentBuyers = [] },
    };

    private static FlashSale Sale(string saleId) => new()
    {
        Id = saleId,
        RoomId = "room_1",
        Product = new Contracts.Catalog.Product { Id = "prod_1", Name = "p", Brand = "b", Price = 1m, Currency = "EUR" },
        Price = 1m,
        Quantity = 10,
        Remaining = 0,
        PerUserLimit = 1,
        Status = SaleStatus.Ended,
        EndsAt = DateTimeOffset.UnixEpoch,
    };
}
