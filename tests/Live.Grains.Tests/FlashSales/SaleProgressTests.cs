using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Grains.FlashSales;

namespace Live.Grains.Tests.FlashSales;

public sealed class SaleProgressTests
{
    private static readonly FlashSale Sale = new()
    {
        Id = "sale_1",
        RoomId = "room_1",
        Product = new Product { Id = "prod_scarf", Name = "Silk scarf", Brand = "Acme", Price = 199.99m, Currency = "EUR" },
        Price = 99m,
        Quantity = 10,
        Remaining = 7,
        PerUserLimit = 2,
        Status = SaleStatus.Active,
        EndsAt = new DateTimeOffset(2026, 3, 1, 12, 1, 0, TimeSpan.Zero),
    };

    [Fact]
    public void NothingSoldMeansNoUpdate()
    {
        var progress = new SaleProgress(recentBuyers: 5);

        Assert.False(progress.IsDirty);
        Assert.Null(progress.TakeUpdate(Sale));
        Assert.Empty(progress.RecentBuyers);
    }

    [Fact]
    public void AnUpdateCarriesTheUnitsLeftAndSoldAndTheBuyersNewestFirst()
    {
        var progress = new SaleProgress(recentBuyers: 5);
        progress.Sold("Ann");
        progress.Sold("Bob");

        Assert.True(progress.IsDirty);
        var update = progress.TakeUpdate(Sale);

        Assert.NotNull(update);
        Assert.Equal("sale_1", update.SaleId);
        Assert.Equal(7, update.Remaining);
        Assert.Equal(3, update.Sold);
        Assert.Equal(["Bob", "Ann"], update.RecentBuyers);
    }

    [Fact]
    public void AnUpdateIsTakenOncePerChange()
    {
        var progress = new SaleProgress(recentBuyers: 5);
        progress.Sold("Ann");

        Assert.NotNull(progress.TakeUpdate(Sale));

        Assert.False(progress.IsDirty);
        Assert.Null(progress.TakeUpdate(Sale));

        progress.Sold("Bob");

        Assert.Equal(["Bob", "Ann"], progress.TakeUpdate(Sale)!.RecentBuyers);
    }

    [Fact]
    public void OnlyTheNewestBuyersUpToTheCapAreKept()
    {
        var progress = new SaleProgress(recentBuyers: 3);
        foreach (var name in new[] { "Ann", "Bob", "Cid", "Dee", "Eve" })
        {
            progress.Sold(name);
        }

        Assert.Equal(["Eve", "Dee", "Cid"], progress.RecentBuyers);
        Assert.Equal(["Eve", "Dee", "Cid"], progress.TakeUpdate(Sale)!.RecentBuyers);
    }

    [Fact]
    public void WithACapOfZeroAnUpdateNamesNobodyButIsStillSent()
    {
        var progress = new SaleProgress(recentBuyers: 0);
        progress.Sold("Ann");

        var update = progress.TakeUpdate(Sale);

        Assert.NotNull(update);
        Assert.Empty(update.RecentBuyers);
        Assert.Equal(3, update.Sold);
    }

    [Fact]
    public void AnUpdateKeepsTheBuyersOfItsMomentWhenMoreBuyLater()
    {
        var progress = new SaleProgress(recentBuyers: 2);
        progress.Sold("Ann");
        var update = progress.TakeUpdate(Sale)!;

        progress.Sold("Bob");
        progress.Sold("Cid");

        Assert.Equal(["Ann"], update.RecentBuyers);
    }
}
