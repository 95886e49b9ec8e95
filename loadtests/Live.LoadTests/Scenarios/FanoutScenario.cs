using System.Globalization;
using Live.Client;
using Live.Contracts.Rooms;
using Live.LoadTests.Engine;
using Live.LoadTests.Servers;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.LoadTests.Scenarios;

/// <summary>
/// Fan-out: N viewers in one room, chat offered at a fixed rate from distinct users, every viewer timing every
/// message from send to receipt. Against RedLive or, with the same code, the bare SignalR hub.
/// </summary>
public static class FanoutScenario
{
    public const string DeliveryMetric = "delivery";

    public static Scenario Create(FanoutOptions options, ServerKind kind)
    {
        LiveClients? clients = null;
        DeliveryTracker? tracker = null;
        HubConnection[] chatters = [];
        var stalled = new List<StalledHubClient>();
        LiveClient[] liveChatters = [];
        var roomId = "bare-room";
        var viewers = 0;

        // What each viewer received, counted from the first measured step to the end of the load: chat frames (one
        // ChatBatch each) and latest-value events (viewer counts, like totals, a sale's progress).
        var chatFrames = new long[1];
        var latestValues = new long[1];
        long[]? atMeasure = null;
        SideLoad? likes = null;
        SideLoad? purchases = null;
        var name = kind == ServerKind.RedLive ? $"fanout-{options.Viewers}" : $"fanout-{options.Viewers}-bare";
        return new Scenario
        {
            Name = name,
            Description = $"{options.Viewers} viewers in one room, {options.Rate:0.##} chat msg/s from {options.Chatters} users, send→receive at every viewer ({kind})",
            Server = kind == ServerKind.RedLive ? ServerSpec.RedLive() : ServerSpec.Bare,
            Connections = options.Viewers + options.Chatters + options.Stalled + 1,
            Settings = new Dictionary<string, string>
            {
                ["viewers"] = options.Viewers.ToString(CultureInfo.InvariantCulture),
                ["chatters"] = options.Chatters.ToString(CultureInfo.InvariantCulture),
                ["rate (msg/s)"] = options.Rate.ToString(CultureInfo.InvariantCulture),
                ["duration (s)"] = options.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                ["warm-up (s)"] = options.WarmUp.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                ["stalled viewers"] = options.Stalled.ToString(CultureInfo.InvariantCulture),
                ["likes (/s)"] = options.Likes.ToString(CultureInfo.InvariantCulture),
                ["purchases (/s)"] = options.Purchases.ToString(CultureInfo.InvariantCulture),
            },
            Init = async context =>
            {
                clients = new LiveClients(context.Server, context.Protocol);
                tracker = new DeliveryTracker((int)(options.Rate * options.Duration.TotalSeconds * 1.2) + 100, context.Metric(DeliveryMetric));
                if (kind == ServerKind.RedLive)
                {
                    using var host = clients.As(await clients.TokenAsync("fanout-host", "host", context.Aborted));
                    roomId = (await clients.CreateLiveRoomAsync(host, "fan-out", context.Aborted)).Id;
                }

                var joined = await Connections.OpenManyAsync(context, "viewers", options.Viewers, async (_, ct) =>
                {
                    if (kind == ServerKind.RedLive)
                    {
                        // RedLive's viewers are Live.Client's: the room's events in order, each once.
                        var client = await clients.ConnectClientAsync(null, ct);
                        context.Track(client.Connection);
                        // A second handler of the same frames: Live.Client's own types, as SignalR binds a method's arguments once for all.
                        client.Connection.On<List<Live.Client.Models.ChatMessage>>(LiveHubNames.ChatBatch, _ => Interlocked.Increment(ref chatFrames[0]));
                        await client.JoinRoomAsync(roomId, room =>
                        {
                            room.ChatReceived += tracker.OnMessage;
                            room.ViewerCountChanged += _ => Interlocked.Increment(ref latestValues[0]);
                            room.LikesUpdated += _ => Interlocked.Increment(ref latestValues[0]);
                            room.FlashSaleUpdated += _ => Interlocked.Increment(ref latestValues[0]);
                        }, ct).WaitAsync(LiveClients.CallTimeout, ct);
                        return client.Connection;
                    }

                    var connection = context.Track(await clients.ConnectAsync(null, c => c.On<ChatMessage[]>("ChatBatch", batch =>
                    {
                        Interlocked.Increment(ref chatFrames[0]);
                        tracker.OnBatch(batch);
                    }), ct));
                    await Join(connection, kind, roomId, ct);
                    return connection;
                });
                viewers = joined.Length;
                for (var i = 0; i < options.Stalled; i++)
                {
                    var client = await StalledHubClient.ConnectAsync(clients.HubUri, token: null);
                    stalled.Add(client);
                    await client.InvokeAsync("JoinRoom", roomId);
                }

                var tokens = await Connections.TokensAsync(context, clients, "chatter", options.Chatters);
                liveChatters = new LiveClient[options.Chatters];
                chatters = await Connections.OpenManyAsync(context, "chatters", options.Chatters, async (i, ct) =>
                {
                    if (kind == ServerKind.RedLive)
                    {
                        var client = await clients.ConnectClientAsync(tokens[i], ct);
                        context.Track(client.Connection);
                        await client.JoinRoomAsync(roomId, cancellationToken: ct).WaitAsync(LiveClients.CallTimeout, ct);
                        liveChatters[i] = client;
                        return client.Connection;
                    }

                    var connection = context.Track(await clients.ConnectAsync(tokens[i], null, ct));
                    await Join(connection, kind, roomId, ct);
                    return connection;
                });
                liveChatters = [.. liveChatters.Where(c => c is not null)];
                if (kind == ServerKind.RedLive && options.Likes > 0)
                {
                    var likers = liveChatters;
                    likes = new SideLoad(options.Likes, (n, ct) => likers[(int)(n % likers.Length)].LikeAsync(roomId, 1, ct).WaitAsync(LiveClients.CallTimeout, ct));
                }

                if (kind == ServerKind.RedLive && options.Purchases > 0)
                {
                    // A sale that lasts the run: far more units than it will sell, no per-user limit that binds.
                    using var host = clients.As(await clients.TokenAsync("fanout-host", "host", context.Aborted));
                    var units = (int)Math.Min(1_000_000, options.Purchases * (options.WarmUp + options.Duration).TotalSeconds * 4 + 1_000);
                    var product = await clients.CreateProductAsync(host, units, context.Aborted);
                    var lasts = (int)(options.WarmUp + options.Duration).TotalSeconds + 600;
                    var sale = await clients.StartSaleAsync(host, roomId, product.Id, units, units, context.Aborted, lasts);
                    var buyers = liveChatters;
                    purchases = new SideLoad(options.Purchases, async (n, ct) =>
                    {
                        var result = await buyers[(int)(n % buyers.Length)].BuyNowAsync(sale.Id, 1, cancellationToken: ct).WaitAsync(LiveClients.CallTimeout, ct);
                        if (result.Status != "confirmed")
                        {
                            throw new InvalidOperationException($"purchase answered {result.Status}");
                        }
                    });
                }

                context.Status = () => $"delivered {tracker.Delivered}";
            },
            Step = async step =>
            {
                if (step.Phase == Phase.Measure && Volatile.Read(ref atMeasure) is null)
                {
                    Interlocked.CompareExchange(ref atMeasure, [Interlocked.Read(ref chatFrames[0]), Interlocked.Read(ref latestValues[0])], null);
                }

                var text = tracker!.NextText(step.Phase, out var sequence);
                var chatter = (int)(step.Iteration % chatters.Length);
                await (kind == ServerKind.RedLive
                    ? (Task)liveChatters[chatter].SendChatAsync(roomId, text, step.Scenario.Aborted)
                    : chatters[chatter].InvokeAsync<ChatMessage>("SendChat", roomId, text, step.Scenario.Aborted)).WaitAsync(LiveClients.CallTimeout);
                if (sequence >= 0)
                {
                    tracker.Accepted(sequence, viewers);
                }

                return StepResult.Ok;
            },
            WarmUp = options.WarmUp > TimeSpan.Zero ? new ConstantRate(options.Rate, options.WarmUp) : null,
            Load = [options.Ramp ? new Ramp(0, options.Rate, options.Duration) : new ConstantRate(options.Rate, options.Duration)],
            Finish = async context =>
            {
                await StopAsync(context, "likes", likes);
                await StopAsync(context, "purchases", purchases);
                var start = atMeasure ?? [0, 0];
                var perViewerSecond = Math.Max(viewers, 1) * Math.Max(context.MeasuredFor.TotalSeconds, 0.001);
                context.Value("chat frames per viewer/s", (Interlocked.Read(ref chatFrames[0]) - start[0]) / perViewerSecond, "frames/s");
                if (kind == ServerKind.RedLive)
                {
                    context.Value("latest-value events per viewer/s", (Interlocked.Read(ref latestValues[0]) - start[1]) / perViewerSecond, "events/s");
                }

                var tally = await tracker!.DrainAsync(options.Drain, context.Aborted);
                RecordDelivery(context, tally);
                foreach (var client in stalled)
                {
                    await client.DisposeAsync();
                }

                clients?.Dispose();
            },
            Thresholds =
            [
                Threshold.AtLeast("delivered ratio", options.MinDeliveredRatio * 100, "%", r => r.ValueOf("delivered ratio")),
                Threshold.Below("delivery p99", options.MaxP99Ms, "ms", r => r.Metric(DeliveryMetric) is { Count: > 0 } m ? m.P99 : null),
            ],
        };
    }

    private static async Task StopAsync(ScenarioContext context, string name, SideLoad? load)
    {
        if (load is null)
        {
            return;
        }

        await load.DisposeAsync();
        context.Value($"{name} sent", load.Started, "calls");
        context.Value($"{name} failed", load.Failed, "calls");
        context.Check($"{name} answered", load.Failed * 100 <= load.Started, $"{load.Failed} of {load.Started} failed");
    }

    internal static Task Join(HubConnection connection, ServerKind kind, string roomId, CancellationToken cancellationToken) =>
        (kind == ServerKind.RedLive
            ? connection.InvokeAsync<RoomSnapshot>("JoinRoom", roomId, cancellationToken)
            : connection.InvokeAsync("JoinRoom", roomId, cancellationToken)).WaitAsync(LiveClients.CallTimeout, cancellationToken);

    internal static void RecordDelivery(ScenarioContext context, DeliveryTally tally)
    {
        var seconds = Math.Max(context.MeasuredFor.TotalSeconds, 0.001);
        context.Value("messages sent", tally.Sent, "msgs");
        context.Value("messages accepted", tally.Accepted, "msgs");
        context.Value("deliveries owed", tally.Expected, "deliveries");
        context.Value("deliveries received", tally.Delivered, "deliveries");
        context.Value("delivered ratio", tally.Ratio * 100, "%");
        context.Value("messages delivered/s", tally.Delivered / seconds, "deliveries/s");
        context.Check("some messages were accepted", tally.Accepted > 0, $"{tally.Accepted} of {tally.Sent} accepted");
        context.Check("no duplicate deliveries", tally.Duplicates == 0, $"{tally.Duplicates} duplicates");
        context.Check("no unknown or unreadable messages", tally.Unexpected == 0, $"{tally.Unexpected} unexpected");
        context.Check("no connection dropped", context.Counter("connections dropped") == 0, $"{context.Counter("connections dropped")} dropped");
    }
}
