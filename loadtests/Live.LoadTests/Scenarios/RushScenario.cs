using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Live.Client;
using Live.Contracts.FlashSales;
using Live.LoadTests.Engine;
using Live.LoadTests.Servers;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.LoadTests.Scenarios;

/// <summary>
/// Flash-sale rush: buyers over the hub, each buying one unit at a time back to back until sold out or at their limit;
/// then the sale and every buyer's orders are read back and checked. The bare variant calls an echo instead.
/// </summary>
public static class RushScenario
{
    public static Scenario Create(RushOptions options, ServerKind kind)
    {
        LiveClients? clients = null;
        HubConnection[] buyers = [];
        LiveClient[] liveBuyers = [];
        string?[] tokens = [];
        string saleId = "bare-sale", warmUpSaleId = "bare-warm-up";
        var confirmedPerBuyer = new int[options.Buyers];
        var orderIds = new ConcurrentBag<string>();
        long soldOutAt = 0;
        var redLive = kind == ServerKind.RedLive;
        var method = redLive ? "BuyNow" : "Echo";
        return new Scenario
        {
            Name = redLive ? $"rush-{options.Units}" : $"rush-{options.Units}-bare",
            Description = redLive
                ? $"flash sale of {options.Units} units, {options.Buyers} concurrent buyers over the hub, limit {options.Limit} each"
                : $"bare SignalR echo, {options.Buyers} concurrent callers, as many calls as the sale takes",
            Server = redLive
                ? ServerSpec.RedLive(new Dictionary<string, string?> { ["RateLimits:BuysPerSecond"] = "1000", ["RateLimits:BuyBurst"] = "1000" })
                : ServerSpec.Bare,
            Connections = options.Buyers + 1,
            Settings = new Dictionary<string, string>
            {
                ["units"] = options.Units.ToString(CultureInfo.InvariantCulture),
                ["buyers"] = options.Buyers.ToString(CultureInfo.InvariantCulture),
                ["per-user limit"] = options.Limit.ToString(CultureInfo.InvariantCulture),
                ["server rate limit"] = redLive ? "RateLimits:BuysPerSecond=1000, BuyBurst=1000 (raised: one buyer buys back to back)" : "none",
            },
            Init = async context =>
            {
                clients = new LiveClients(context.Server, context.Protocol);
                if (redLive)
                {
                    using var host = clients.As(await clients.TokenAsync("rush-host", "host", context.Aborted));
                    var product = await clients.CreateProductAsync(host, options.Units + options.WarmUpUnits, context.Aborted);
                    var room = await clients.CreateLiveRoomAsync(host, "rush", context.Aborted);
                    warmUpSaleId = (await clients.StartSaleAsync(host, room.Id, product.Id, options.WarmUpUnits, options.WarmUpUnits, context.Aborted)).Id;
                    saleId = (await clients.StartSaleAsync(host, room.Id, product.Id, options.Units, options.Limit, context.Aborted)).Id;
                }

                tokens = await Connections.TokensAsync(context, clients, "buyer", options.Buyers);
                buyers = await Connections.OpenManyAsync(context, "buyers", options.Buyers, async (i, ct) =>
                    context.Track(await clients.ConnectAsync(tokens[i], null, ct)));

                // RedLive's buyers call through Live.Client (typed BuyNow); the bare hub's echo stays plain SignalR.
                liveBuyers = redLive ? [.. buyers.Select(b => new LiveClient(b, ownsConnection: false, purchaseRetryWindow: TimeSpan.Zero))] : [];
                context.Status = () => $"confirmed {confirmedPerBuyer.Sum()}";
            },
            Step = async step =>
            {
                var measured = step.Phase == Phase.Measure;
                var buyer = step.Copy;
                var sale = measured ? saleId : warmUpSaleId;
                var requestId = $"{step.Phase}-{step.Copy}-{step.Iteration}";
                var result = redLive
                    ? Answer(await liveBuyers[buyer].BuyNowAsync(sale, 1, requestId, step.Scenario.Aborted).WaitAsync(LiveClients.CallTimeout))
                    : await buyers[buyer].InvokeAsync<PurchaseResult>(method, sale, 1, requestId, step.Scenario.Aborted).WaitAsync(LiveClients.CallTimeout);
                if (!measured)
                {
                    return result.Status == PurchaseStatus.Confirmed ? StepResult.Ok : StepResult.Stop;
                }

                step.Scenario.Count($"answer: {result.Status}");
                switch (result.Status)
                {
                    case PurchaseStatus.Confirmed:
                        Interlocked.Add(ref confirmedPerBuyer[buyer], result.Quantity);
                        orderIds.Add(result.OrderId ?? "");
                        if (redLive && result.Remaining == 0)
                        {
                            Interlocked.CompareExchange(ref soldOutAt, Stopwatch.GetTimestamp(), 0);
                        }

                        return StepResult.Ok;
                    case PurchaseStatus.SoldOut:
                        Interlocked.CompareExchange(ref soldOutAt, Stopwatch.GetTimestamp(), 0);
                        return StepResult.Stop;
                    case PurchaseStatus.LimitExceeded:
                        return StepResult.Stop;
                    default:
                        return StepResult.Fail($"answer {result.Status}");
                }
            },
            // Every buyer warms up (both servers): each connection's and each buyer's paths are hot when the rush starts.
            WarmUp = new FixedConcurrency(options.Buyers, options.WarmUp, (options.WarmUpUnits / options.Buyers) + 1),
            Load =
            [
                redLive
                    ? new FixedConcurrency(options.Buyers, options.MaxDuration, options.Limit + 1)
                    : new FixedConcurrency(options.Buyers, options.MaxDuration, (int)Math.Ceiling((double)options.Units / options.Buyers)),
            ],
            Finish = async context =>
            {
                var confirmed = confirmedPerBuyer.Sum();
                var seconds = Math.Max(context.MeasuredFor.TotalSeconds, 0.001);
                var answers = context.Counters.Where(c => c.Key.StartsWith("answer: ", StringComparison.Ordinal)).Sum(c => c.Value);
                context.Value("answers", answers, "answers");
                context.Value("answers/s", answers / seconds, "answers/s");
                context.Value("units confirmed", confirmed, "units");
                if (!redLive)
                {
                    context.Check("every echo answered", answers > 0 && confirmed == answers, $"{confirmed} of {answers}");
                    clients?.Dispose();
                    return;
                }

                var soldOutSeconds = soldOutAt == 0 ? (double?)null : Stopwatch.GetElapsedTime(context.MeasureStarted, soldOutAt).TotalSeconds;
                if (soldOutSeconds is { } s)
                {
                    context.Value("time to sold out", s, "s");
                }

                context.Value("purchases/s", confirmed / (soldOutSeconds ?? seconds), "purchases/s");
                if (context.ServerBytesWritten is { } written && answers > 0)
                {
                    // What durability costs in writes: the decisions' and orders' share of the measured phase's writes.
                    context.Value("server disk written per answer", (double)written / answers, "bytes");
                }

                await CheckSaleAsync(context, clients!, tokens, saleId, options.Units, options.Limit, confirmedPerBuyer, orderIds);
                clients!.Dispose();
            },
            Thresholds = redLive
                ?
                [
                    Threshold.Below("answer p99", options.MaxP99Ms, "ms", r => r.Metric(LoadRunner.StepMetric) is { Count: > 0 } m ? m.P99 : null),
                    Threshold.Below("time to sold out", options.MaxSoldOutSeconds, "s", r => r.ValueOf("time to sold out")),
                ]
                : [],
        };
    }

    /// <summary>
    /// Reads the sale and every buyer's orders back: confirmed == orders == sold, no oversell, limits kept.
    /// </summary>
    internal static async Task CheckSaleAsync(ScenarioContext context, LiveClients clients, string?[] tokens, string saleId, int units, int limit, int[] confirmedPerBuyer, IEnumerable<string> confirmedOrderIds)
    {
        var sale = await clients.GetSaleAsync(saleId, context.Aborted);
        var sold = sale.Quantity - sale.Remaining;
        var ordered = new int[tokens.Length];
        var orderIds = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, tokens.Length), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = context.Aborted }, async (i, ct) =>
        {
            foreach (var order in (await clients.GetOrdersAsync(tokens[i]!, ct)).Where(o => o.SaleId == saleId))
            {
                ordered[i] += order.Items.Sum(item => item.Quantity);
                orderIds.Add(order.Id);
            }
        });
        var confirmed = confirmedPerBuyer.Sum();
        context.Value("units sold (sale)", sold, "units");
        context.Value("units ordered (orders)", ordered.Sum(), "units");
        context.Check("no oversell", sold <= units && sale.Remaining >= 0 && ordered.Sum() <= units, $"sold {sold} of {units}, remaining {sale.Remaining}");
        context.Check("confirmed == orders == sold", confirmed == ordered.Sum() && confirmed == sold, $"confirmed {confirmed}, orders {ordered.Sum()}, sold {sold}");
        context.Check("per-user limit respected", ordered.All(q => q <= limit), $"largest buyer {ordered.DefaultIfEmpty().Max()} (limit {limit})");
        context.Check("each buyer's confirmations match their orders", Enumerable.Range(0, tokens.Length).All(i => ordered[i] == confirmedPerBuyer[i]), $"{Enumerable.Range(0, tokens.Length).Count(i => ordered[i] != confirmedPerBuyer[i])} buyers differ");
        var confirmedIds = confirmedOrderIds.ToHashSet(StringComparer.Ordinal);
        context.Check("every confirmed answer has exactly one order", confirmedIds.SetEquals(orderIds) && orderIds.Count == confirmedIds.Count, $"{confirmedIds.Count} confirmed ids, {orderIds.Count} orders");
        if ((long)limit * tokens.Length >= units)
        {
            context.Check("sold out", sale.Status == SaleStatus.SoldOut && sale.Remaining == 0, $"status {sale.Status}, remaining {sale.Remaining}");
        }
    }

    /// <summary>Live.Client's answer in the shape the scenario counts (the bare echo answers the server's record).</summary>
    private static PurchaseResult Answer(Live.Client.Models.PurchaseResult result) =>
        new() { Status = result.Status, OrderId = result.OrderId, Quantity = result.Quantity, Remaining = result.Remaining };
}
