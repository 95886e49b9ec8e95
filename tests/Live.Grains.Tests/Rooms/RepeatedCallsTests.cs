using Live.Contracts;
using Live.Grains.Rooms;

namespace Live.Grains.Tests.Rooms;

public sealed class RepeatedCallsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ACallSeenIsAnsweredAsTheFirstOnlyToItsUser()
    {
        var calls = new RepeatedCalls<string>(capacity: 10, window: TimeSpan.FromMinutes(1));
        calls.Add("m1", "u1", "first", T0);
        calls.Add("m1", "u1", "second", T0);

        Assert.True(calls.TryGet("m1", "u1", out var answer));
        Assert.Equal("first", answer);
        Assert.False(calls.TryGet("m2", "u1", out _));
        Assert.Equal(ErrorCodes.Conflict, Assert.Throws<LiveException>(() => calls.TryGet("m1", "u2", out _)).Code);
    }

    [Fact]
    public void IdsOlderThanTheWindowAreForgottenAsNewOnesCome()
    {
        var calls = new RepeatedCalls<int>(capacity: 1000, window: TimeSpan.FromSeconds(60));
        calls.Add("old", "u1", 1, T0);
        calls.Add("mid", "u1", 2, T0.AddSeconds(30));

        calls.Add("new", "u1", 3, T0.AddSeconds(59));
        Assert.True(calls.TryGet("old", "u1", out _));

        calls.Add("newer", "u1", 4, T0.AddSeconds(60));
        Assert.False(calls.TryGet("old", "u1", out _));
        Assert.True(calls.TryGet("mid", "u1", out _));
        Assert.Equal(3, calls.Count);
    }

    [Fact]
    public void AtCapacityTheOldestIdsGoFirst()
    {
        var calls = new RepeatedCalls<int>(capacity: 100, window: TimeSpan.FromHours(1));
        for (var i = 0; i < 250; i++)
        {
            calls.Add($"m{i}", "u1", i, T0.AddMilliseconds(i));
        }

        Assert.Equal(100, calls.Count);
        Assert.False(calls.TryGet("m149", "u1", out _));
        Assert.True(calls.TryGet("m150", "u1", out var first));
        Assert.Equal(150, first);
        Assert.True(calls.TryGet("m249", "u1", out _));
    }
}
