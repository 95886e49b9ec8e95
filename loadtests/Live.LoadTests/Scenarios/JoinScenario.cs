using System.Diagnostics;
using System.Globalization;
using Live.Client;
using Live.LoadTests.Engine;
using Live.LoadTests.Servers;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.LoadTests.Scenarios;

/// <summary>
/// Join storm: thousands of viewers open the app and join one room within seconds; each step is connect + JoinRoom,
/// timed to the snapshot. Idle mode keeps them connected and measures what each costs the server in memory.
/// </summary>
public static class JoinScenario
{
    public const string JoinMetric = "JoinRoom only";

    public static Scenario Create(JoinOptions options, ServerKind kind)
    {
        LiveClients? clients = null;
        string roomId = "bare-room", warmUpRoomId = "bare-warm-up";
        var joined = 0;
        MemoryReading? before = null;
        var idle = options.Hold is not null;
        var redLive = kind == ServerKind.RedLive;
        var name = (idle ? $"idle-{options.Viewers}" : $"join-{options.Viewers}") + (redLive ? "" : "-bare");
        return new Scenario
        {
            Name = name,
            Description = idle
                ? $"{options.Viewers} idle viewers in one room, held {options.Hold!.Value.TotalSeconds:0} s: server memory per viewer ({kind})"
                : $"{options.Viewers} viewers connect and join one room within {options.Over.TotalSeconds:0.#} s: time to snapshot ({kind})",
            Server = redLive ? ServerSpec.RedLive() : ServerSpec.Bare,
            Connections = options.Viewers + 40,
            Settings = new Dictionary<string, string>
            {
                ["viewers"] = options.Viewers.ToString(CultureInfo.InvariantCulture),
                ["joins spread over (s)"] = options.Over.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                ["hold (s)"] = (options.Hold?.TotalSeconds ?? 0).ToString(CultureInfo.InvariantCulture),
            },
            Init = async context =>
            {
                clients = new LiveClients(context.Server, context.Protocol);
                if (redLive)
                {
                    using var host = clients.As(await clients.TokenAsync("join-host", "host", context.Aborted));
                    roomId = (await clients.CreateLiveRoomAsync(host, "join storm", context.Aborted)).Id;
                    warmUpRoomId = (await clients.CreateLiveRoomAsync(host, "warm-up", context.Aborted)).Id;
                }

                if (idle)
                {
                    before = await context.Server.MeasureMemoryAsync(context.Aborted);
                }

                context.Status = () => $"joined {Volatile.Read(ref joined)}";
            },
            Step = async step =>
            {
                var measured = step.Phase == Phase.Measure;
                var connection = step.Scenario.Track(await clients!.ConnectAsync(null, null, step.Scenario.Aborted));
                var start = Stopwatch.GetTimestamp();
                var target = measured ? roomId : warmUpRoomId;
                if (redLive)
                {
                    // Through Live.Client, as an app would (the connection stays the scenario's to close).
                    var room = await new LiveClient(connection, ownsConnection: false).JoinRoomAsync(target, cancellationToken: step.Scenario.Aborted).WaitAsync(LiveClients.CallTimeout);
                    if (room.Snapshot?.Room.Id != target)
                    {
                        return StepResult.Fail("snapshot of another room");
                    }
                }
                else
                {
                    await connection.InvokeAsync("JoinRoom", target, step.Scenario.Aborted).WaitAsync(LiveClients.CallTimeout);
                }

                if (measured)
                {
                    step.Scenario.Metric(JoinMetric).RecordSince(start);
                    Interlocked.Increment(ref joined);
                }

                return StepResult.Ok;
            },
            WarmUp = new ConstantRate(20, TimeSpan.FromSeconds(2)),
            Load =
            [
                options.Ramp
                    ? new Ramp(0, 2 * options.Viewers / options.Over.TotalSeconds, options.Over)
                    : new ConstantRate(options.Viewers / options.Over.TotalSeconds, options.Over),
            ],
            Finish = async context =>
            {
                context.Check("every viewer joined", joined == options.Viewers, $"{joined} of {options.Viewers}");
                context.Value("joins/s", joined / Math.Max(context.MeasuredFor.TotalSeconds, 0.001), "joins/s");
                if (redLive)
                {
                    // The hub reports viewer counts to the room about once a second: wait for the room to see them all.
                    var seen = await Eventually.LastAsync(
                        async () => (await clients!.GetRoomAsync(roomId, context.Aborted)).Viewers, viewers => viewers == joined,
                        TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250), context.Aborted);

                    context.Value("room's viewer count", seen, "viewers");
                    context.Check("the room counts every viewer (within 30 s)", seen == joined, $"room says {seen}, joined {joined}");
                }

                if (idle)
                {
                    context.Log($"holding {joined} idle viewers for {options.Hold!.Value.TotalSeconds:0} s");
                    await Task.Delay(options.Hold!.Value, context.Aborted);
                    var after = await context.Server.MeasureMemoryAsync(context.Aborted);
                    // Warm-up viewers stay connected too: divide by every open connection, not only the measured joins.
                    var open = context.OpenConnections;
                    if (before is not null && after is not null && open > 0)
                    {
                        context.Value("connections held", open, "connections");
                        context.Value("server RSS before joins", before.RssBytes / 1048576.0, "MB");
                        context.Value("server RSS with viewers", after.RssBytes / 1048576.0, "MB");
                        context.Value("RSS per viewer", (after.RssBytes - before.RssBytes) / 1024.0 / open, "KB");
                        if (before.ManagedBytes is { } b && after.ManagedBytes is { } a)
                        {
                            context.Value("managed heap per viewer", (a - b) / 1024.0 / open, "KB");
                        }
                    }

                    context.Check("no connection dropped while idle", context.Counter("connections dropped") == 0, $"{context.Counter("connections dropped")} dropped");
                }

                clients?.Dispose();
            },
            Thresholds = idle
                ? [Threshold.AtMost("RSS per viewer", options.MaxKilobytesPerViewer, "KB", r => r.ValueOf("RSS per viewer"))]
                : [Threshold.Below("time to snapshot p99", options.MaxSnapshotP99Ms, "ms", r => r.Metric(LoadRunner.StepMetric) is { Count: > 0 } m ? m.P99 : null)],
        };
    }
}
