using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Live.Client;
using Live.Contracts.Rooms;
using Live.LoadTests.Engine;
using Live.LoadTests.Servers;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.LoadTests.Scenarios;

/// <summary>
/// Resume storm: N viewers in one room, the server is killed (SIGKILL; or stopped in order, SIGTERM, with
/// <see cref="ResumeOptions.Graceful"/>) and started again on the same address and data,
/// and every viewer reconnects at once by the client library's own reconnect policy (<see cref="ForeverRetryPolicy"/>,
/// the same for both servers) and catches up: RedLive's viewers with Live.Client's <c>ResumeRoom</c> (events when the
/// room kept its window, a snapshot when its epoch changed), bare SignalR's by joining the group again. Timed from the
/// restarted server answering <c>/health</c> (and from the kill) to each viewer's answer; then chat must reach every
/// viewer again, all of it.
/// </summary>
public static class ResumeScenario
{
    public const string BackMetric = "back after healthy";
    public const string BackSinceKillMetric = "back after kill";

    public static Scenario Create(ResumeOptions options, ServerKind kind)
    {
        LiveClients? clients = null;
        var redLive = kind == ServerKind.RedLive;

        // The bare baseline is one server whatever the host: its viewers wait for it.
        options = options with { FailOver = options.FailOver && redLive };
        var roomId = "bare-room";
        var viewers = new List<Viewer>();
        var name = (redLive ? $"resume-{options.Viewers}" : $"resume-{options.Viewers}-bare") + (options.Graceful ? "-graceful" : "");
        var stop = options.Graceful ? "stopped in order (SIGTERM)" : "killed (SIGKILL)";
        var backBy = options.FailOver ? "all back after kill" : "all back after healthy";
        return new Scenario
        {
            Name = name,
            Description = $"{options.Viewers} viewers of one room; the server is {stop} and restarted; time until every viewer is back in the room ({kind})",
            Server = redLive ? ServerSpec.RedLive() : ServerSpec.Bare,
            Connections = options.Viewers + 2,
            Settings = new Dictionary<string, string>
            {
                ["viewers"] = options.Viewers.ToString(CultureInfo.InvariantCulture),
                ["chat (msg/s)"] = options.Rate.ToString(CultureInfo.InvariantCulture),
                ["chat after (s)"] = options.After.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                ["reconnect policy"] = "Live.Client ForeverRetryPolicy (0, 0.5, 1 s, every 2 s for a minute, then 10 s; ±25 %)",
                ["restart"] = stop,
                ["reconnect to"] = options.FailOver
                    ? "the hub server it was on, else the next that accepts (all viewers start on hub 1, the one restarted)"
                    : "the same server, once it is back",
            },
            Init = async context =>
            {
                clients = new LiveClients(context.Server, context.Protocol);
                if (redLive)
                {
                    using var host = clients.As(await clients.TokenAsync("resume-host", "host", context.Aborted));
                    roomId = (await clients.CreateLiveRoomAsync(host, "resume storm", context.Aborted)).Id;
                }

                var opened = new ConcurrentBag<Viewer>();
                await Connections.OpenManyAsync(context, "viewers", options.Viewers, async (_, ct) =>
                {
                    var viewer = redLive
                        ? await Viewer.JoinRedLiveAsync(clients, roomId, options.FailOver, ct)
                        : await Viewer.JoinBareAsync(clients, roomId, options.FailOver, ct);
                    opened.Add(viewer);
                    return viewer.Connection;
                });
                viewers = [.. opened];
                context.Status = () => $"back {viewers.Count(v => v.IsBack)} of {viewers.Count}";
            },
            Step = async step =>
            {
                var context = step.Scenario;

                // Some chat first, so that each viewer stands at a seq of the room's stream, not at its join.
                await ChatAsync(clients!, redLive, roomId, "before", options.Rate, TimeSpan.FromSeconds(2), context.Aborted);
                foreach (var viewer in viewers)
                {
                    viewer.Arm();
                }

                context.Log($"restarting the server ({stop}) with {viewers.Count} viewers in its room");
                var restart = await context.Server.RestartAsync(options.Graceful, context.Aborted);
                var down = Stopwatch.GetElapsedTime(restart.KilledAt, restart.HealthyAt).TotalSeconds;
                context.Value("kill to healthy", down, "s");
                context.Log($"server healthy again after {down:0.0} s");

                await Eventually.LastAsync(
                    () => Task.FromResult(viewers.Count(v => v.IsBack)), n => n == viewers.Count,
                    TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(100), context.Aborted);

                var back = viewers.Where(v => v.IsBack).ToList();
                foreach (var viewer in back)
                {
                    // A viewer back before the server answered /health counts as 0 after it.
                    context.Metric(BackMetric).RecordMicros(Math.Max(1, (long)Stopwatch.GetElapsedTime(restart.HealthyAt, viewer.BackAt).TotalMicroseconds));
                    context.Metric(BackSinceKillMetric).RecordMicros((long)Stopwatch.GetElapsedTime(restart.KilledAt, viewer.BackAt).TotalMicroseconds);
                }

                context.Value("viewers back", back.Count, "viewers");
                context.Value("all back after healthy", back.Count == 0 ? double.NaN : back.Max(v => Stopwatch.GetElapsedTime(restart.HealthyAt, v.BackAt).TotalSeconds), "s");
                context.Value("all back after kill", back.Count == 0 ? double.NaN : back.Max(v => Stopwatch.GetElapsedTime(restart.KilledAt, v.BackAt).TotalSeconds), "s");
                if (redLive)
                {
                    context.Value("resumed with the missed events", back.Count(v => v.ResumedWithEvents), "viewers");
                    context.Value("answered a fresh snapshot", back.Count(v => !v.ResumedWithEvents), "viewers");
                }

                context.Check("every viewer back in the room (within 120 s)", back.Count == viewers.Count, $"{back.Count} of {viewers.Count}");
                if (options.FailOver)
                {
                    context.Value("reconnects to another hub server", clients!.MovedToAnotherHub, "connections");
                }

                // The stream is whole again: every message sent now reaches every viewer.
                var sent = await ChatAsync(clients!, redLive, roomId, "after", options.Rate, options.After, context.Aborted);
                var whole = await Eventually.LastAsync(
                    () => Task.FromResult(viewers.Count(v => v.ReceivedAfter >= sent)), n => n == viewers.Count,
                    TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250), context.Aborted);
                context.Check("every viewer got all the chat sent after the restart", whole == viewers.Count, $"{whole} of {viewers.Count} got all {sent} messages");
                return StepResult.Ok;
            },
            Load = [new FixedConcurrency(1, TimeSpan.FromMinutes(5), MaxIterationsPerCopy: 1)],
            Finish = async _ =>
            {
                foreach (var viewer in viewers)
                {
                    await viewer.DisposeAsync();
                }

                clients?.Dispose();
            },
            Thresholds =
            [
                Threshold.AtMost("every viewer back within", options.MaxAllBackSeconds, options.FailOver ? "s after the kill (another hub serving)" : "s after healthy", r => r.ValueOf(backBy)),
            ],
        };
    }

    /// <summary>
    /// Sends chat at <paramref name="rate"/> for <paramref name="during"/> from fresh chatters (one per 2 msg/s, taking
    /// turns, within the per-user chat limit); answers how many messages were accepted.
    /// </summary>
    private static async Task<int> ChatAsync(LiveClients clients, bool redLive, string roomId, string prefix, double rate, TimeSpan during, CancellationToken cancellationToken)
    {
        var chatters = new List<HubConnection>();
        var liveChatters = new List<LiveClient>();
        try
        {
            for (var i = 0; i < Math.Max(1, (int)Math.Ceiling(rate / 2)); i++)
            {
                var token = redLive ? await clients.TokenAsync($"resume-chatter-{prefix}-{i}", "viewer", cancellationToken) : null;
                var connection = await clients.ConnectAsync(token, null, cancellationToken);
                chatters.Add(connection);
                if (redLive)
                {
                    // RedLive's chatters through Live.Client, as an app would; the bare hub's stay plain SignalR.
                    var client = new LiveClient(connection, ownsConnection: false);
                    liveChatters.Add(client);
                    await client.JoinRoomAsync(roomId, cancellationToken: cancellationToken).WaitAsync(LiveClients.CallTimeout, cancellationToken);
                }
                else
                {
                    await connection.InvokeAsync("JoinRoom", roomId, cancellationToken).WaitAsync(LiveClients.CallTimeout, cancellationToken);
                }
            }

            var count = (int)Math.Max(1, rate * during.TotalSeconds);
            var interval = TimeSpan.FromSeconds(1 / Math.Max(rate, 0.01));
            for (var i = 0; i < count; i++)
            {
                var text = $"{prefix} {i}";
                Task sent = redLive
                    ? liveChatters[i % liveChatters.Count].SendChatAsync(roomId, text, cancellationToken)
                    : chatters[i % chatters.Count].InvokeAsync<ChatMessage>("SendChat", roomId, text, cancellationToken);
                await sent.WaitAsync(LiveClients.CallTimeout, cancellationToken);
                await Task.Delay(interval, cancellationToken);
            }

            return count;
        }
        finally
        {
            foreach (var connection in chatters)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>One viewer: its connection, when it came back after the restart, and what it received after.</summary>
    private sealed class Viewer : IAsyncDisposable
    {
        private LiveClient? _client;
        private volatile bool _expecting;
        private volatile bool _armed;
        private long _backAt;
        private int _receivedAfter;

        public required HubConnection Connection { get; init; }

        public bool IsBack => Interlocked.Read(ref _backAt) != 0;

        public long BackAt => Interlocked.Read(ref _backAt);

        public bool ResumedWithEvents { get; private set; }

        public int ReceivedAfter => Volatile.Read(ref _receivedAfter);

        /// <summary>Every viewer starts on the first hub server: the one the restart stops.</summary>
        public static async Task<Viewer> JoinRedLiveAsync(LiveClients clients, string roomId, bool failOver, CancellationToken cancellationToken)
        {
            var client = await clients.ConnectClientAsync(null, cancellationToken, new ForeverRetryPolicy(), hub: 0, failover: failOver);
            var viewer = new Viewer { Connection = client.Connection, _client = client };
            client.Reconnecting += _ => viewer.Lost();
            await client.JoinRoomAsync(
                roomId,
                room =>
                {
                    room.ChatReceived += message => viewer.OnChat(message.Text);
                    room.CaughtUp += resumed => viewer.Back(resumed);
                },
                cancellationToken).WaitAsync(LiveClients.CallTimeout, cancellationToken);
            return viewer;
        }

        public static async Task<Viewer> JoinBareAsync(LiveClients clients, string roomId, bool failOver, CancellationToken cancellationToken)
        {
            Viewer? viewer = null;
            var connection = await clients.ConnectAsync(
                null,
                c => c.On<ChatMessage[]>("ChatBatch", batch =>
                {
                    foreach (var message in batch)
                    {
                        viewer?.OnChat(message.Text);
                    }
                }),
                cancellationToken,
                new ForeverRetryPolicy(),
                hub: 0,
                failover: failOver);
            viewer = new Viewer { Connection = connection };
            connection.Reconnecting += _ =>
            {
                viewer.Lost();
                return Task.CompletedTask;
            };

            // Plain SignalR forgets groups with the connection: coming back is joining again.
            connection.Reconnected += async _ =>
            {
                await connection.InvokeAsync("JoinRoom", roomId);
                viewer.Back(resumed: false);
            };
            await connection.InvokeAsync("JoinRoom", roomId, cancellationToken).WaitAsync(LiveClients.CallTimeout, cancellationToken);
            return viewer;
        }

        /// <summary>The restart is coming: the first catch-up after this viewer's connection is lost is the one timed.</summary>
        public void Arm() => _expecting = true;

        /// <summary>The connection dropped (SignalR reconnects it): catch-ups that were not caused by it do not count.</summary>
        public void Lost()
        {
            if (_expecting)
            {
                _armed = true;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_client is not null)
            {
                await _client.DisposeAsync();
            }

            await Connection.DisposeAsync();
        }

        private void Back(bool resumed)
        {
            if (_armed && Interlocked.CompareExchange(ref _backAt, Stopwatch.GetTimestamp(), 0) == 0)
            {
                ResumedWithEvents = resumed;
            }
        }

        private void OnChat(string text)
        {
            if (text.StartsWith("after ", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _receivedAfter);
            }
        }
    }
}
