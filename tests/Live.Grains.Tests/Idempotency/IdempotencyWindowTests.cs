using System.ComponentModel.DataAnnotations;
using Live.Grains.Idempotency;
using Microsoft.Extensions.Time.Testing;

namespace Live.Grains.Tests.Idempotency;

public sealed class IdempotencyWindowTests
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void AnAnswerIsKeptForTheWholeWindowAndDroppedAfterIt()
    {
        var answers = new Dictionary<string, string> { ["a"] = "ord_a" };
        var times = new Dictionary<string, DateTimeOffset> { ["a"] = _clock.GetUtcNow() };

        _clock.Advance(Window);
        var (dropped, nextDue) = IdempotencyWindow.Compact(answers, times, Window, _clock.GetUtcNow());
        Assert.Equal(0, dropped);
        Assert.Equal(_clock.GetUtcNow(), nextDue);
        Assert.Equal("ord_a", answers["a"]);

        _clock.Advance(TimeSpan.FromTicks(1));
        (dropped, nextDue) = IdempotencyWindow.Compact(answers, times, Window, _clock.GetUtcNow());
        Assert.Equal(1, dropped);
        Assert.Null(nextDue);
        Assert.Empty(answers);
        Assert.Empty(times);
    }

    [Fact]
    public void OnlyTheOldAnswersAreDroppedAndTheNextDueIsTheOldestKept()
    {
        var start = _clock.GetUtcNow();
        var answers = new Dictionary<string, int> { ["old"] = 1, ["mid"] = 2, ["new"] = 3 };
        var times = new Dictionary<string, DateTimeOffset>
        {
            ["old"] = start,
            ["mid"] = start.AddHours(10),
            ["new"] = start.AddHours(20),
        };

        var (dropped, nextDue) = IdempotencyWindow.Compact(answers, times, Window, start.AddHours(25));

        Assert.Equal(1, dropped);
        Assert.Equal(["mid", "new"], answers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(start.AddHours(34), nextDue);
    }

    [Fact]
    public void AnAnswerTheCallerHoldsOnToIsKeptPastTheWindow()
    {
        var answers = new Dictionary<string, int> { ["pending"] = 1, ["done"] = 2 };
        var times = new Dictionary<string, DateTimeOffset> { ["pending"] = _clock.GetUtcNow(), ["done"] = _clock.GetUtcNow() };
        _clock.Advance(Window * 2);

        var (dropped, _) = IdempotencyWindow.Compact(answers, times, Window, _clock.GetUtcNow(), keep: k => k == "pending");

        Assert.Equal(1, dropped);
        Assert.Equal("pending", Assert.Single(answers.Keys));
    }

    [Fact]
    public void AnswersStoredWithoutTimesCountFromTheLoadSoNoneIsDroppedEarly()
    {
        // A state stored before times were kept: two answers, one time, and a time whose answer is gone.
        var answers = new Dictionary<string, int> { ["timed"] = 1, ["untimed"] = 2 };
        var earlier = _clock.GetUtcNow().AddHours(-30);
        var times = new Dictionary<string, DateTimeOffset> { ["timed"] = earlier, ["orphan"] = earlier };

        Assert.True(IdempotencyWindow.Backfill(answers, times, _clock.GetUtcNow()));
        Assert.Equal(earlier, times["timed"]);
        Assert.Equal(_clock.GetUtcNow(), times["untimed"]);
        Assert.False(times.ContainsKey("orphan"));
        Assert.False(IdempotencyWindow.Backfill(answers, times, _clock.GetUtcNow()));

        var (dropped, _) = IdempotencyWindow.Compact(answers, times, Window, _clock.GetUtcNow());
        Assert.Equal(1, dropped);
        Assert.Equal("untimed", Assert.Single(answers.Keys));
    }

    [Fact]
    public void TheWindowDefaultsToADayAndMustBeAtLeastAMinute()
    {
        Assert.Equal(TimeSpan.FromHours(24), new IdempotencyOptions().Window);
        Assert.True(IsValid(new IdempotencyOptions { Window = TimeSpan.FromMinutes(1) }));
        Assert.False(IsValid(new IdempotencyOptions { Window = TimeSpan.FromSeconds(59) }));
        Assert.False(IsValid(new IdempotencyOptions { Window = TimeSpan.Zero }));
    }

    private static bool IsValid(object options) =>
        Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true);
}
