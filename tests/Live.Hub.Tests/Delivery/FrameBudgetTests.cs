using Live.Hub.Delivery;

namespace Live.Hub.Tests.Delivery;

public sealed class FrameBudgetTests
{
    private readonly FrameBudget _budget = new(new FrameBudgetOptions
    {
        FramesPerSecond = 20_000,
        MinChatInterval = TimeSpan.FromMilliseconds(20),
        MaxChatInterval = TimeSpan.FromSeconds(1),
        MaxFanOutShare = 0.5,
    });

    [Theory]
    [InlineData(0, 20)]
    [InlineData(100, 20)]
    [InlineData(1_000, 50)]
    [InlineData(5_000, 250)]
    [InlineData(10_000, 500)]
    [InlineData(50_000, 1000)]
    public void TheChatIntervalGrowsWithTheViewersWithinItsBounds(long viewers, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), _budget.ChatInterval(viewers));

    [Theory]
    [InlineData(1_000, 5, 50)]
    [InlineData(1_000, 40, 80)]
    [InlineData(5_000, 100, 250)]
    [InlineData(5_000, 200, 400)]
    [InlineData(5_000, 900, 1000)]
    public void AFanOutSlowerThanTheBudgetAssumesStretchesTheIntervalToTwiceItsCost(long viewers, int fanOutMs, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), _budget.ChatInterval(viewers, TimeSpan.FromMilliseconds(fanOutMs)));

    [Fact]
    public void TheFanOutCostFollowsALastingSlowdownAndShrugsOffOnePause()
    {
        var cost = FrameBudget.FanOutCost(TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
        Assert.Equal(TimeSpan.FromMilliseconds(20), cost);

        cost = FrameBudget.FanOutCost(cost, TimeSpan.FromMilliseconds(420));
        Assert.Equal(TimeSpan.FromMilliseconds(120), cost);

        for (var i = 0; i < 20; i++)
        {
            cost = FrameBudget.FanOutCost(cost, TimeSpan.FromMilliseconds(20));
        }

        Assert.True(cost < TimeSpan.FromMilliseconds(21), $"back to 20 ms after a pause: {cost}");
    }
}
