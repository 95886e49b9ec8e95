using Live.Contracts.Notifications;
using Live.Contracts.Rooms;
using Live.Hub.Moderation;
using Live.Hub.Realtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Live.Hub.Tests.Realtime;

/// <summary>
/// The hub's end of the silo's push answers a push only once its events have been sent on (a backplane publish): a hub
/// server that dies or stops with a batch unsent never answered it, so the silo gives it to another hub server.
/// Acknowledged before sending (as before issue 12), a dead hub's queue was lost for the viewers of every hub server.
/// </summary>
public sealed class HubRoomEventObserverTests : IAsyncDisposable
{
    private readonly GatedHubContext _hub = new();
    private readonly LiveHubMetrics _metrics;
    private readonly HubRoomEventObserver _observer;

    public HubRoomEventObserverTests()
    {
        var presence = UnstartedPresence.Create();
        _metrics = new LiveHubMetrics(presence);
        _observer = new HubRoomEventObserver(_hub, new BanEnforcer(_hub, new ConnectionRegistry(), presence), _metrics, TimeProvider.System, NullLogger<HubRoomEventObserver>.Instance);
    }

    [Fact]
    public async Task APushIsAnsweredOnlyOnceItsEventsHaveBeenSentOn()
    {
        await _observer.StartAsync(CancellationToken.None);

        var push = _observer.OnRoomEventsAsync([Chat(1), Chat(2)]);
        await Eventually.TrueAsync("the first event's send started", () => _hub.SentCount == 1, TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        Assert.False(push.IsCompleted, "the push was answered while its first event was still being sent");

        _hub.Open();
        await Eventually.TrueAsync("the second event's send started", () => _hub.SentCount == 2, TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        Assert.False(push.IsCompleted, "the push was answered while its last event was still being sent");

        _hub.Open();
        await push.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["ChatBatch", "ChatBatch"], _hub.Sent);
    }

    [Fact]
    public async Task AServerThatStopsWithItsSendsStuckAnswersNoneOfTheirPushes()
    {
        // The process then exits with the pushes unanswered: the silo's calls fail, and it pushes those events to
        // another hub server of the backplane.
        await _observer.StartAsync(CancellationToken.None);
        var sending = _observer.OnRoomEventsAsync([Chat(1)]);
        await Eventually.TrueAsync("the first push's send started", () => _hub.SentCount == 1, TimeSpan.FromSeconds(10));
        var queued = _observer.OnRoomEventsAsync([Chat(2)]);

        using var stopping = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await _observer.StopAsync(stopping.Token);

        Assert.False(sending.IsCompleted, "a push whose send never completed was answered");
        Assert.False(queued.IsCompleted, "a push never sent was answered");
        Assert.Equal(1, _hub.SentCount);
    }

    public async ValueTask DisposeAsync()
    {
        _hub.OpenForGood();
        await _observer.StopAsync(CancellationToken.None);
        _observer.Dispose();
        _metrics.Dispose();
    }

    private static ChatBatchEvent Chat(long seq) => new()
    {
        RoomId = "r1",
        Seq = seq,
        Messages = [new ChatMessage { Id = $"m{seq}", RoomId = "r1", UserId = "u1", DisplayName = "U", Text = "hi", SentAt = DateTimeOffset.UnixEpoch, Seq = seq }],
    };
}
