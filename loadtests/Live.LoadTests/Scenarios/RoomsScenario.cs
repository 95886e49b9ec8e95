using System.Collections.Concurrent;
using System.Globalization;
using Live.Contracts.FlashSales;
using Live.Client;
using Live.LoadTests.Engine;
using Live.LoadTests.Servers;

namespace Live.LoadTests.Scenarios;

/// <summary>Many rooms: R rooms of V viewers, with chat in every room and a flash sale in every room.</summary>
public static class RoomsScenario
{
    public const string ChatMetric = "chat send";
    public const string BuyMetric = "buy answer";

    public static Scenario Create(RoomsOptions options)
    {
        LiveClients? clients = null;
        DeliveryTracker? tracker = null;
        var rooms = new string[options.Rooms];
        var sales = new string[options.Rooms];
        var viewersInRoom = new int[options.Rooms];
        var active = new LiveClient[options.Rooms * options.ActivePerRoom];
        string?[] tokens = [];
        var confirmed = new int[options.Rooms * options.ActivePerRoom];
        var orderIds = new ConcurrentBag<string>();
        return new Scenario
        {
            Name = $"rooms-{options.Rooms}x{options.ViewersPerRoom}",
            Description = $"{options.Rooms} rooms × {options.ViewersPerRoom} viewers, {options.Rate:0.##} calls/s (4/5 chat, 1/5 purchases) from {options.ActivePerRoom} users per room",
            Server = ServerSpec.RedLive(),
            Connections = options.Rooms * (options.ViewersPerRoom + options.ActivePerRoom) + 1,
            Settings = new Dictionary<string, string>
            {
                ["rooms"] = options.Rooms.ToString(CultureInfo.InvariantCulture),
                ["viewers per room"] = options.ViewersPerRoom.ToString(CultureInfo.InvariantCulture),
                ["active users per room"] = options.ActivePerRoom.ToString(CultureInfo.InvariantCulture),
                ["calls/s"] = options.Rate.ToString(CultureInfo.InvariantCulture),
                ["units per room sale"] = options.UnitsPerRoom.ToString(CultureInfo.InvariantCulture),
                ["per-user limit"] = options.PerUserLimit.ToString(CultureInfo.InvariantCulture),
                ["duration (s)"] = options.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            },
            Init = async context =>
            {
                clients = new LiveClients(context.Server, context.Protocol);
                tracker = new DeliveryTracker((int)(options.Rate * options.Duration.TotalSeconds * 1.2) + 100, context.Metric(FanoutScenario.DeliveryMetric));
                var hostToken = await clients.TokenAsync("rooms-host", "host", context.Aborted);
                using (var host = clients.As(hostToken))
                {
                    var product = await clients.CreateProductAsync(host, options.Rooms * options.UnitsPerRoom, context.Aborted);
                    await Parallel.ForEachAsync(Enumerable.Range(0, options.Rooms), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = context.Aborted }, async (r, ct) =>
                    {
                        rooms[r] = (await clients.CreateLiveRoomAsync(host, $"room {r}", ct)).Id;
                        sales[r] = (await clients.StartSaleAsync(host, rooms[r], product.Id, options.UnitsPerRoom, options.PerUserLimit, ct)).Id;
                    });
                }

                context.Log($"{options.Rooms} live rooms, each with a sale of {options.UnitsPerRoom}");
                await Connections.OpenManyAsync(context, "viewers", options.Rooms * options.ViewersPerRoom, async (i, ct) =>
                {
                    var room = i % options.Rooms;
                    var client = await clients.ConnectClientAsync(null, ct);
                    context.Track(client.Connection);
                    await client.JoinRoomAsync(rooms[room], r => r.ChatReceived += tracker.OnMessage, ct).WaitAsync(LiveClients.CallTimeout, ct);
                    Interlocked.Increment(ref viewersInRoom[room]);
                    return client.Connection;
                });
                tokens = await Connections.TokensAsync(context, clients, "active", active.Length);
                await Connections.OpenManyAsync(context, "active users", active.Length, async (i, ct) =>
                {
                    var client = await clients.ConnectClientAsync(tokens[i], ct);
                    context.Track(client.Connection);
                    await client.JoinRoomAsync(rooms[i % options.Rooms], cancellationToken: ct).WaitAsync(LiveClients.CallTimeout, ct);
                    active[i] = client;
                    return client.Connection;
                });
                context.Status = () => $"delivered {tracker.Delivered}";
            },
            Step = async step =>
            {
                // Step i goes to user i mod (rooms × users), so each user's calls are spread evenly over time; every
                // fifth round over all users is purchases (never in the warm-up), the others chat.
                var user = (int)(step.Iteration % active.Length);
                var room = user % options.Rooms;
                var buy = step.Iteration / active.Length % 5 == 4;
                var connection = active[user];
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                if (buy && step.Phase == Phase.Measure)
                {
                    var result = await connection.BuyNowAsync(sales[room], 1, $"buy-{step.Iteration}", step.Scenario.Aborted).WaitAsync(LiveClients.CallTimeout);
                    step.Scenario.Metric(BuyMetric).RecordSince(start);
                    step.Scenario.Count($"answer: {result.Status}");
                    if (result.Status == PurchaseStatus.Confirmed)
                    {
                        Interlocked.Add(ref confirmed[user], result.Quantity);
                        orderIds.Add(result.OrderId ?? "");
                    }

                    return StepResult.Ok;
                }

                var text = tracker!.NextText(step.Phase, out var sequence);
                await connection.SendChatAsync(rooms[room], text, step.Scenario.Aborted).WaitAsync(LiveClients.CallTimeout);
                if (sequence >= 0)
                {
                    step.Scenario.Metric(ChatMetric).RecordSince(start);
                    tracker.Accepted(sequence, viewersInRoom[room]);
                }

                return StepResult.Ok;
            },
            WarmUp = options.WarmUp > TimeSpan.Zero ? new ConstantRate(options.Rate, options.WarmUp) : null,
            Load = [new ConstantRate(options.Rate, options.Duration)],
            Finish = async context =>
            {
                FanoutScenario.RecordDelivery(context, await tracker!.DrainAsync(TimeSpan.FromSeconds(15), context.Aborted));
                var sold = 0;
                var oversold = 0;
                foreach (var saleId in sales)
                {
                    var sale = await clients!.GetSaleAsync(saleId, context.Aborted);
                    sold += sale.Quantity - sale.Remaining;
                    oversold += sale.Remaining < 0 || sale.Quantity != options.UnitsPerRoom ? 1 : 0;
                }

                var ordered = new int[active.Length];
                var orders = new ConcurrentBag<string>();
                await Parallel.ForEachAsync(Enumerable.Range(0, active.Length), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = context.Aborted }, async (i, ct) =>
                {
                    foreach (var order in (await clients!.GetOrdersAsync(tokens[i]!, ct)).Where(o => o.SaleId is not null))
                    {
                        ordered[i] += order.Items.Sum(item => item.Quantity);
                        orders.Add(order.Id);
                    }
                });
                context.Value("units sold (all sales)", sold, "units");
                context.Check("no sale oversold", oversold == 0, $"{oversold} sales with a negative remainder");
                context.Check("confirmed == orders == sold", confirmed.Sum() == ordered.Sum() && ordered.Sum() == sold, $"confirmed {confirmed.Sum()}, orders {ordered.Sum()}, sold {sold}");
                context.Check("per-user limit respected", ordered.All(q => q <= options.PerUserLimit), $"largest buyer {ordered.DefaultIfEmpty().Max()} (limit {options.PerUserLimit})");
                context.Check("every confirmed answer has exactly one order", orderIds.ToHashSet(StringComparer.Ordinal).SetEquals(orders) && orders.Count == orderIds.Count, $"{orderIds.Count} confirmed, {orders.Count} orders");
                clients!.Dispose();
            },
            Thresholds =
            [
                Threshold.AtLeast("delivered ratio", options.MinDeliveredRatio * 100, "%", r => r.ValueOf("delivered ratio")),
                Threshold.Below("delivery p99", options.MaxP99Ms, "ms", r => r.Metric(FanoutScenario.DeliveryMetric) is { Count: > 0 } m ? m.P99 : null),
            ],
        };
    }
}
