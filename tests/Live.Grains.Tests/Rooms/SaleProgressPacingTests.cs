using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Grains.Rooms;
using Microsoft.Extensions.Time.Testing;

namespace Live.Grains.Tests.Rooms;

public sealed class SaleProgressPacingTests
{
    private const long BigRoom = 5_000; // 2.5 s at the options below
    private static readonly LiveRoomOptions Options = new() { ValueFramesPerSecond = 2_000, MaxValueInterval = TimeSpan.FromSeconds(5) };

    private readonly FakeTimeProvider _time = new();
    private readonly SaleProgressPacing _pacing = new(Options);

    [Fact]
    public void ASmallRoomSendsEverySalesProgressAtTheSalesOwnPace()
    {
        // The sale sends its progress every 250 ms; a room of up to 500 viewers takes each as it comes.
        for (var sold = 1; sold <= 3; sold++)
        {
            Assert.NotNull(_pacing.Offer(Progress("s1", sold), 500, _time.GetUtcNow()));
            _time.Advance(TimeSpan.FromMilliseconds(250));
        }

        Assert.Equal(0, _pacing.Held);

        // Sooner than viewers / 2,000 seconds (50 ms for 100) is held even in a small room.
        Assert.NotNull(_pacing.Offer(Progress("s2", 1), 100, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromMilliseconds(49));
        Assert.Null(_pacing.Offer(Progress("s2", 2), 100, _time.GetUtcNow()));
    }

    [Fact]
    public void ABigRoomSendsTheFirstAtOnceThenHoldsTheNewestUntilItsIntervalHasPassed()
    {
        Assert.Equal(1, _pacing.Offer(Progress("s1", 1), BigRoom, _time.GetUtcNow())?.Progress.Sold);

        _time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Null(_pacing.Offer(Progress("s1", 2), BigRoom, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Null(_pacing.Offer(Progress("s1", 3), BigRoom, _time.GetUtcNow()));
        Assert.Equal(1, _pacing.Held);

        _time.Advance(TimeSpan.FromMilliseconds(1_999)); // 2.499 s since the first
        Assert.Empty(_pacing.Due(BigRoom, _time.GetUtcNow()));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var due = Assert.Single(_pacing.Due(BigRoom, _time.GetUtcNow()));
        Assert.Equal(3, due.Progress.Sold); // 2 was folded into 3: never numbered, never sent
        Assert.Equal(0, _pacing.Held);
        Assert.Empty(_pacing.Due(BigRoom, _time.GetUtcNow() + TimeSpan.FromMinutes(1)));

        // The interval runs from that send: the next progress is held again.
        Assert.Null(_pacing.Offer(Progress("s1", 4), BigRoom, _time.GetUtcNow()));
    }

    [Fact]
    public void EachSaleHasItsOwnInterval()
    {
        Assert.NotNull(_pacing.Offer(Progress("s1", 1), BigRoom, _time.GetUtcNow()));
        Assert.NotNull(_pacing.Offer(Progress("s2", 1), BigRoom, _time.GetUtcNow()));
        Assert.Null(_pacing.Offer(Progress("s1", 2), BigRoom, _time.GetUtcNow()));
        Assert.Null(_pacing.Offer(Progress("s2", 2), BigRoom, _time.GetUtcNow()));

        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(["s1", "s2"], _pacing.Due(BigRoom, _time.GetUtcNow()).Select(u => u.Progress.SaleId).Order());
    }

    [Fact]
    public void ASalesEndDropsItsHeldProgressAndForgetsTheSale()
    {
        Assert.NotNull(_pacing.Offer(Progress("s1", 1), BigRoom, _time.GetUtcNow()));
        Assert.Null(_pacing.Offer(Progress("s1", 2), BigRoom, _time.GetUtcNow()));

        _pacing.Ended("s1");

        Assert.Equal((0, 0), (_pacing.Held, _pacing.Remembered));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(_pacing.Due(BigRoom, _time.GetUtcNow()));
    }

    [Fact]
    public void WhatIsHeldIsTakenWhenTheRoomGoesAway()
    {
        Assert.NotNull(_pacing.Offer(Progress("s1", 1), BigRoom, _time.GetUtcNow()));
        Assert.Null(_pacing.Offer(Progress("s1", 2), BigRoom, _time.GetUtcNow()));

        Assert.Equal(2, Assert.Single(_pacing.TakeHeld()).Progress.Sold);
        Assert.Equal(0, _pacing.Held);
        Assert.Empty(_pacing.TakeHeld());
    }

    [Fact]
    public void HeldProgressGoesSoonerWhenTheRoomShrinks()
    {
        Assert.NotNull(_pacing.Offer(Progress("s1", 1), BigRoom, _time.GetUtcNow()));
        Assert.Null(_pacing.Offer(Progress("s1", 2), BigRoom, _time.GetUtcNow()));

        _time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Single(_pacing.Due(1_000, _time.GetUtcNow())); // 0.5 s for 1,000 viewers
    }

    private static FlashSaleUpdatedEvent Progress(string saleId, int sold) => new()
    {
        RoomId = "room-1",
        Progress = new FlashSaleProgress { SaleId = saleId, Remaining = 100 - sold, Sold = sold, RecentBuyers = [] },
    };
}
