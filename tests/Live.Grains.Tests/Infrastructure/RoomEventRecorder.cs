using System.Diagnostics;
using Live.Contracts.Notifications;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>
/// Stands in for a hub server: registered in the hub directory like one, it records every room event the silo pushes,
/// per room and in arrival order, and lets a test wait for the event it expects.
/// </summary>
public sealed class RoomEventRecorder : IRoomEventObserver
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<RoomEvent>> _rooms = [];
    private readonly List<Waiter> _waiters = [];

    Task IRoomEventObserver.OnRoomEventsAsync(IReadOnlyList<RoomEvent> events)
    {
        List<Waiter> satisfied = [];
        lock (_gate)
        {
            foreach (var roomEvent in events)
            {
                if (!_rooms.TryGetValue(roomEvent.RoomId, out var list))
                {
                    _rooms[roomEvent.RoomId] = list = [];
                }

                list.Add(roomEvent);
                satisfied.AddRange(_waiters.Where(w => w.RoomId == roomEvent.RoomId && w.Match(roomEvent)));
                _waiters.RemoveAll(satisfied.Contains);
            }
        }

        foreach (var waiter in satisfied)
        {
            waiter.Found.TrySetResult(true);
        }

        return Task.CompletedTask;
    }

    /// <summary>Every event of the room received so far, oldest first.</summary>
    public IReadOnlyList<RoomEvent> EventsOf(string roomId)
    {
        lock (_gate)
        {
            return _rooms.TryGetValue(roomId, out var list) ? [.. list] : [];
        }
    }

    /// <summary>The room's events of one kind received so far, oldest first.</summary>
    public IReadOnlyList<T> EventsOf<T>(string roomId) where T : RoomEvent => [.. EventsOf(roomId).OfType<T>()];

    /// <summary>
    /// The first event of the room, already received or still to come, that is a <typeparamref name="T"/> matching
    /// <paramref name="match"/>; a <see cref="TimeoutException"/> naming <paramref name="what"/> if none comes in time.
    /// </summary>
    public Task<T> WaitForAsync<T>(string roomId, Func<T, bool> match, string what, TimeSpan? timeout = null)
        where T : RoomEvent =>
        WaitForAsync(roomId, match, what, timeout ?? DefaultTimeout, beforeEachWait: null, step: Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Like <see cref="WaitForAsync{T}(string, Func{T, bool}, string, TimeSpan?)"/>, calling <paramref name="nudge"/>
    /// (typically: advance the fake clock) before waiting and again every <paramref name="step"/> of real time until the
    /// event arrives. Grain timers run on the fake clock and re-arm only after their tick completes, so one advance can
    /// land before a timer is armed again; nudging until the event arrives removes that race without sleeping.
    /// </summary>
    public Task<T> WaitForAsync<T>(string roomId, Func<T, bool> match, string what, Action nudge, TimeSpan step, TimeSpan? timeout = null)
        where T : RoomEvent =>
        WaitForAsync(roomId, match, what, timeout ?? DefaultTimeout, nudge, step);

    private async Task<T> WaitForAsync<T>(
        string roomId, Func<T, bool> match, string what, TimeSpan timeout, Action? beforeEachWait, TimeSpan step)
        where T : RoomEvent
    {
        var waiter = new Waiter(roomId, e => e is T typed && match(typed));
        lock (_gate)
        {
            var earlier = _rooms.TryGetValue(roomId, out var list) ? list.FirstOrDefault(waiter.Match) : null;
            if (earlier is not null)
            {
                return (T)earlier;
            }

            _waiters.Add(waiter);
        }

        var elapsed = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                beforeEachWait?.Invoke();
                var left = timeout - elapsed.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException(
                        $"timed out after {timeout.TotalSeconds:0.#}s waiting for {what} in room {roomId}; it received: {Describe(roomId)}");
                }

                var wait = beforeEachWait is null || left < step ? left : step;
                try
                {
                    await waiter.Found.Task.WaitAsync(wait);
                    break;
                }
                catch (TimeoutException)
                {
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }

        lock (_gate)
        {
            return (T)_rooms[roomId].First(waiter.Match);
        }
    }

    private string Describe(string roomId)
    {
        var events = EventsOf(roomId);
        return events.Count == 0 ? "nothing" : string.Join(", ", events);
    }

    private sealed class Waiter(string roomId, Func<RoomEvent, bool> match)
    {
        public string RoomId { get; } = roomId;

        public Func<RoomEvent, bool> Match { get; } = match;

        public TaskCompletionSource<bool> Found { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
