using Live.Grains.Catalog;

namespace Live.Grains.Tests.Catalog;

public sealed class ProductReservationsTests
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnOrdersReservationIsKeptForTheWindowThenDropped()
    {
        var state = new ProductState();
        ProductReservations.Reserve(state, "ord-1", 2, forSale: false, Start);

        Assert.Equal(0, ProductReservations.Compact(state, Window, Start + Window));
        Assert.True(ProductReservations.Holds(state, "ord-1"));

        Assert.Equal(1, ProductReservations.Compact(state, Window, Start + Window + TimeSpan.FromSeconds(1)));
        Assert.False(ProductReservations.Holds(state, "ord-1"));
        Assert.Empty(state.ReservedAt);
    }

    [Fact]
    public void ACompletedCheckoutsReservationIsForgottenButASalesIsNot()
    {
        var state = new ProductState();
        ProductReservations.Reserve(state, "ord-1", 2, forSale: false, Start);
        ProductReservations.Reserve(state, "ord-2", 1, forSale: false, Start);
        ProductReservations.Reserve(state, "sale-1", 100, forSale: true, Start);

        Assert.Equal(1, ProductReservations.Forget(state, ["ord-1", "sale-1", "unknown"]));

        Assert.False(ProductReservations.Holds(state, "ord-1"));
        Assert.True(ProductReservations.Holds(state, "ord-2"));
        Assert.True(ProductReservations.Holds(state, "sale-1"));
        Assert.Equal(["ord-2", "sale-1"], state.ReservedAt.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ASalesReservationIsKeptUntilItIsReleasedAndForAWindowAfter()
    {
        var state = new ProductState();
        ProductReservations.Reserve(state, "sale-1", 100, forSale: true, Start);

        // The sale may run for a day and give back its unsold units only at its end: still needed long after.
        Assert.Equal(0, ProductReservations.Compact(state, Window, Start + (3 * Window)));
        Assert.True(ProductReservations.Holds(state, "sale-1"));

        var releasedAt = Start + (3 * Window);
        Assert.Equal(100, ProductReservations.Release(state, "sale-1", releasedAt));
        Assert.Null(ProductReservations.Release(state, "sale-1", releasedAt)); // once only

        Assert.Equal(0, ProductReservations.Compact(state, Window, releasedAt + Window));
        Assert.Equal(1, ProductReservations.Compact(state, Window, releasedAt + Window + TimeSpan.FromSeconds(1)));
        Assert.Empty(state.Reservations);
        Assert.Empty(state.Released);
        Assert.Empty(state.SaleReservations);
        Assert.Empty(state.ReservedAt);
    }

    [Fact]
    public void AReleaseOfAnUnknownOrCompactedReservationGivesNothingBack()
    {
        var state = new ProductState();
        Assert.Null(ProductReservations.Release(state, "never", Start));

        ProductReservations.Reserve(state, "ord-1", 2, forSale: false, Start);
        ProductReservations.Compact(state, Window, Start + (2 * Window));
        Assert.Null(ProductReservations.Release(state, "ord-1", Start + (2 * Window)));
    }

    [Fact]
    public void ReservationsStoredBeforeTimesWereKeptCountFromTheirFirstLoad()
    {
        var state = new ProductState { Reservations = { ["ord-old"] = 1, ["sale-old"] = 5 }, Released = { "sale-old" } };
        var loaded = Start + TimeSpan.FromDays(30);

        ProductReservations.Backfill(state, loaded);

        Assert.Equal(0, ProductReservations.Compact(state, Window, loaded + Window));
        Assert.Equal(2, ProductReservations.Compact(state, Window, loaded + Window + TimeSpan.FromSeconds(1)));
        Assert.Empty(state.Released);
    }

    [Fact]
    public void StateStaysBoundedOverAYearOfCheckouts()
    {
        // A checkout every ten minutes for a year, compacted at each write as the grain does: a window's worth stays.
        var state = new ProductState();
        var now = Start;
        for (var i = 0; i < 365 * 24 * 6; i++)
        {
            now += TimeSpan.FromMinutes(10);
            ProductReservations.Reserve(state, $"ord-{i}", 1, forSale: false, now);
            ProductReservations.Compact(state, Window, now);
        }

        Assert.InRange(state.Reservations.Count, 24 * 6, (24 * 6) + 1);
        Assert.Equal(state.Reservations.Count, state.ReservedAt.Count);
    }
}
