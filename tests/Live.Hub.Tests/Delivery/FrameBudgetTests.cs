using Live.Hub.Delivery;

namespace Live.Hub.Tests.Delivery;

public sealed class FrameBudgetTests
{
    private readonly FrameBudget _budget = new(new FrameBudgetOptions
    {
        FramesPerSecond = 20_000,
        MinChatInterval = TimeSpan.FromMilliseconds(20),
        MaxChatInterval = TimeSpan.FromSeconds(1),
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
}
