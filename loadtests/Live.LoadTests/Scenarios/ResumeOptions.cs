
namespace Live.LoadTests.Scenarios;

public sealed record ResumeOptions
{
    public int Viewers { get; init; } = 1_000;

    /// <summary>Chat messages per second from one chatter, before the restart and after every viewer is back.</summary>
    public double Rate { get; init; } = 10;

    /// <summary>Chat after every viewer is back: each viewer must receive all of it, so the stream is whole again.</summary>
    public TimeSpan After { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Stop the server in order (SIGTERM, a deploy: rooms hand their retained window on) instead of killing it.</summary>
    public bool Graceful { get; init; }

    /// <summary>
    /// A cluster (several hub servers): every viewer is on the first hub server, the one restarted, and each reconnect
    /// tries the hub server it was on, then the others in order (as a load balancer sends it to a healthy one), so the
    /// viewers resume on another hub server while theirs is down. Without it they wait for their own to be back.
    /// </summary>
    public bool FailOver { get; init; }

    /// <summary>The bound: every viewer back within this long of the server answering again (of the kill, when failing over).</summary>
    public double MaxAllBackSeconds { get; init; } = 5;
}
