using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Live.Cluster.Tests.Infrastructure;
using Live.Contracts;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Cluster.Tests;

/// <summary>
/// A silo dies (SIGKILL) in the middle of a show while hosts and viewers keep calling through both hub servers: what
/// they see is a short delay and no error (every call here is retried by the hub servers across the loss, chat
/// included, and chat is not sent twice), and every kind of call works again soon after. Runs with the shipped
/// failure-detection settings. How long the calls around the kill took is reported (docs/PERF.md §12), not asserted.
/// </summary>
public sealed class SiloLossTests(ITestOutputHelper output)
{
    private static readonly TimeSpan BeforeKill = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task KillingASiloWhileHostsAndViewersCallAnswersNo500AndEveryCallWorksAgain()
    {
        await using var cluster = await LiveCluster.StartAsync(silos: 2, hubs: 2);
        var hubs = cluster.Hubs.Select(h => h.BaseUri).ToArray();

        // Several rooms, so that some of their grains live on the silo about to die whatever the placement.
        using var setupHost = LiveCluster.Http(hubs[0], cluster.Token("host-setup", "host"));
        var rooms = new List<Room>();
        var products = new List<Product>();
        for (var i = 0; i < 6; i++)
        {
            var (p, room) = await Shop.LiveRoomWithProductAsync(setupHost, stock: 100_000);
            rooms.Add(room);
            products.Add(p);
        }

        var product = products[0];

        var sale = await Shop.StartSaleAsync(setupHost, rooms[0].Id, product.Id, quantity: 100_000, perUserLimit: 100_000, durationSeconds: 3600);

        var calls = new ConcurrentBag<Call>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var viewers = new List<HubConnection>();
        var added = new int[6];
        var workers = new List<Task>();

        async Task LoopAsync(string kind, TimeSpan pause, Func<int, Task> call)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var started = clock.Elapsed;
                string? failure;
                try
                {
                    await call(n).WaitAsync(TimeSpan.FromSeconds(40));
                    failure = null;
                }
                catch (Exception ex)
                {
                    failure = Describe(ex);
                }

                calls.Add(new Call(kind, started, clock.Elapsed, failure));
                await Task.Delay(pause);
            }
        }

        // Hosts take turns, so that the per-host write limits (a product a second) are not what the test measures.
        HttpClient[] Hosts(Uri hub, string prefix) => Enumerable.Range(0, 8).Select(i =>
        {
            var http = LiveCluster.Http(hub, cluster.Token($"{prefix}-{i}", "host"));
            http.Timeout = TimeSpan.FromSeconds(40);
            return http;
        }).ToArray();

        for (var w = 0; w < 2; w++)
        {
            var productHosts = Hosts(hubs[w], $"host-p{w}");
            workers.Add(LoopAsync("POST /api/products", TimeSpan.FromMilliseconds(200), n =>
                ExpectAsync(productHosts[n % productHosts.Length].PostAsJsonAsync("/api/products", new { name = "Lipstick", brand = "Proya", price = 59, stock = 10 }), HttpStatusCode.Created)));
            var roomHosts = Hosts(hubs[1 - w], $"host-r{w}");
            workers.Add(LoopAsync("POST /api/rooms", TimeSpan.FromMilliseconds(200), n =>
                ExpectAsync(roomHosts[n % roomHosts.Length].PostAsJsonAsync("/api/rooms", new { title = "Late show" }), HttpStatusCode.Created)));
        }

        for (var v = 0; v < 6; v++)
        {
            var viewer = LiveCluster.Connection(hubs[v % 2], cluster.Token($"viewer-{v}"));
            viewer.ServerTimeout = TimeSpan.FromSeconds(60);
            await viewer.StartAsync();
            foreach (var room in rooms)
            {
                await viewer.InvokeAsync<RoomSnapshot>("JoinRoom", room.Id);
            }

            viewers.Add(viewer);
            var me = v;
            workers.Add(LoopAsync("JoinRoom", TimeSpan.FromMilliseconds(600), n => viewer.InvokeAsync<RoomSnapshot>("JoinRoom", rooms[(n + me) % rooms.Count].Id)));
            workers.Add(LoopAsync("SendChat", TimeSpan.FromMilliseconds(700), n => viewer.InvokeAsync<ChatMessage>("SendChat", rooms[(n + me) % rooms.Count].Id, $"hello {me}-{n}")));
            workers.Add(LoopAsync("AddToCart", TimeSpan.FromMilliseconds(700), async n =>
            {
                await viewer.InvokeAsync<Cart>("AddToCart", products[me].Id, 1, rooms[me].Id);
                Interlocked.Increment(ref added[me]);
            }));
            workers.Add(LoopAsync("BuyNow", TimeSpan.FromMilliseconds(250), async n =>
            {
                var result = await viewer.InvokeAsync<PurchaseResult>("BuyNow", sale.Id, 1, $"v{me}-{n}");
                Assert.Equal(PurchaseStatus.Confirmed, result.Status);
            }));
        }

        // The rooms' host moderates and starts sales (one unit each, so every start takes stock) while it all goes on;
        // the first room's product went whole into its big sale.
        using var moderator = LiveCluster.Http(hubs[1], cluster.Token("host-setup", "host"));
        moderator.Timeout = TimeSpan.FromSeconds(40);
        workers.Add(LoopAsync("POST mutes", TimeSpan.FromMilliseconds(400), n =>
            ExpectAsync(moderator.PostAsJsonAsync($"/api/rooms/{rooms[n % rooms.Count].Id}/mutes", new { userId = $"troll-{n}", durationSeconds = 60 }), HttpStatusCode.OK)));
        var salesStarted = 0;
        workers.Add(LoopAsync("POST flash-sales", TimeSpan.FromMilliseconds(700), async n =>
        {
            await Shop.StartSaleAsync(moderator, rooms[1 + (n % 5)].Id, products[1 + (n % 5)].Id, quantity: 1, perUserLimit: 1, durationSeconds: 3600);
            Interlocked.Increment(ref salesStarted);
        }));

        foreach (var hub in hubs)
        {
            var health = new HttpClient { BaseAddress = hub, Timeout = TimeSpan.FromSeconds(40) };
            workers.Add(LoopAsync($"GET {hub.Port}/health", TimeSpan.FromMilliseconds(200), _ => ExpectAsync(health.GetAsync("/health"), HttpStatusCode.OK)));
        }

        await Task.Delay(BeforeKill);
        var killedAt = clock.Elapsed;
        cluster.Silos[0].Kill();
        await Task.Delay(AfterKill);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var all = calls.ToArray();
        var report = Report(all, killedAt);
        output.WriteLine(report);
        output.WriteLine(Environment.GetEnvironmentVariable("REDLIVE_TEST_LOGS") is null ? "" : cluster.Logs());

        // Before the kill everything works: the test measures the failover, not a broken start.
        Assert.All(all.Where(c => c.Ended < killedAt), c => Assert.True(c.Failure is null, $"before the kill: {c}"));

        // No call answered 500 (or anything but the protocol's unavailable) — health included.
        var wrong = all.Where(c => c.Failure is not null && c.Failure != ErrorCodes.Unavailable).ToArray();
        Assert.True(wrong.Length == 0, $"calls that failed otherwise than unavailable:\n{string.Join('\n', wrong.Take(20))}\n{report}\n{cluster.Logs()}");
        Assert.DoesNotContain(all, c => c.Kind.EndsWith("/health", StringComparison.Ordinal) && c.Failure is not null);

        // Every call made here is safe to repeat (reads, and writes that carry their own identity: a purchase's request
        // id, the id the hub gives each chat message) and is retried across the loss: a host or viewer sees a delay,
        // not even an unavailable.
        var failed = all.Where(c => c.Failure is not null).ToArray();
        Assert.True(failed.Length == 0, $"calls that failed:\n{string.Join('\n', failed.Take(20))}\n{report}\n{cluster.Logs()}");

        // Issue 11's bound for a short failover: at most 3 s from the kill until every call succeeds again, a call counting
        // as succeeding when it is answered within 2 s (a delay a host or viewer sees, not an outage). A bound the issue
        // sets on the failover, not a performance figure: in four runs on this 2-core machine no call after the kill took
        // 1 s (the slowest 664-915 ms), and with a 3-s probe timeout calls took up to 2.9 s and worked again only at
        // +3.08 s, which this fails, as it fails Orleans' default failure detection (11 s when the issue was filed).
        var recovered = Recovered(all, killedAt, TimeSpan.FromSeconds(2));
        Assert.True(recovered <= TimeSpan.FromSeconds(3), $"calls worked again (answered within 2 s) only {recovered.TotalSeconds:0.00} s after the kill (at most 3 s):\n{report}\n{cluster.Logs()}");

        // Chat sent again across the loss went once: every message a viewer was answered for is in its room once.
        foreach (var room in rooms)
        {
            var recent = (await viewers[0].InvokeAsync<RoomSnapshot>("JoinRoom", room.Id)).RecentChat;
            var repeated = recent.GroupBy(m => m.Text).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
            Assert.True(repeated.Length == 0, $"chat messages in room {room.Id} more than once: {string.Join(", ", repeated)}");
        }

        // Adds and sale starts sent again across the loss were done once: each viewer's cart holds one unit per add it
        // was answered for, and the rooms list one open sale per start answered (and the first one).
        for (var v = 0; v < viewers.Count; v++)
        {
            using var shopper = LiveCluster.Http(hubs[v % 2], cluster.Token($"viewer-{v}"));
            var cart = await shopper.GetAsync("/api/cart").ReadAsync<Cart>();
            Assert.Equal(added[v], Assert.Single(cart.Items).Quantity);
        }

        var openSales = 0;
        foreach (var room in rooms)
        {
            openSales += (await setupHost.GetAsync($"/api/rooms/{room.Id}").ReadAsync<RoomSnapshot>()).ActiveSales.Count;
        }

        Assert.Equal(1 + salesStarted, openSales);

        // Every kind of call works again: its last calls (those started in the final 4 s) all succeeded.
        var tail = killedAt + AfterKill - TimeSpan.FromSeconds(4);
        foreach (var kind in all.Select(c => c.Kind).Distinct())
        {
            var late = all.Where(c => c.Kind == kind && c.Started >= tail).ToArray();
            Assert.True(late.Length > 0 && late.All(c => c.Failure is null), $"{kind} does not work again after the kill:\n{report}\n{cluster.Logs()}");
        }

        foreach (var viewer in viewers)
        {
            await viewer.DisposeAsync();
        }
    }

    private static async Task ExpectAsync(Task<HttpResponseMessage> call, HttpStatusCode expected)
    {
        using var response = await call;
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new RestFailure(response.StatusCode, body);
        }
    }

    /// <summary>The protocol code of a failure (unavailable, conflict, ...), or what it was when it carries none.</summary>
    private static string Describe(Exception failure) => failure switch
    {
        RestFailure { Status: HttpStatusCode.ServiceUnavailable } rest when rest.Body.Contains($"\"{ErrorCodes.Unavailable}\"", StringComparison.Ordinal)
            => ErrorCodes.Unavailable,
        RestFailure rest => $"HTTP {(int)rest.Status}: {rest.Body}",
        _ when ProtocolError.Code(failure) is { } code => code == ErrorCodes.Unavailable ? code : $"{code}: {failure.Message}",
        _ => $"{failure.GetType().Name}: {failure.Message}",
    };

    /// <summary>
    /// Per kind of call: how many, how many failed and how, the last failure's start and the slowest call after the
    /// kill; and when everything worked again: the first moment from which every call started succeeded within 1 s.
    /// </summary>
    private static string Report(IReadOnlyCollection<Call> calls, TimeSpan killedAt)
    {
        static string S(TimeSpan t) => $"{t.TotalSeconds:+0.00;-0.00} s";
        var lines = new List<string> { $"calls: {calls.Count}; offsets from the kill" };
        foreach (var kind in calls.GroupBy(c => c.Kind).OrderBy(g => g.Key))
        {
            var after = kind.Where(c => c.Ended >= killedAt).ToArray();
            var failed = kind.Where(c => c.Failure is not null).ToArray();
            var lastFailure = failed.Length == 0 ? "none" : S(failed.Max(c => c.Started) - killedAt);
            var slowest = after.Length == 0 ? TimeSpan.Zero : after.Max(c => c.Ended - c.Started);
            var kinds = string.Join(", ", failed.GroupBy(c => c.Failure).Select(g => $"{g.Count()}x {g.Key}"));
            lines.Add($"  {kind.Key}: {kind.Count()} calls, {failed.Length} failed ({kinds}); last failure started {lastFailure}; slowest after the kill {slowest.TotalMilliseconds:0} ms");
        }

        var bad = SlowOrFailed(calls, killedAt, TimeSpan.FromSeconds(1));
        var recovered = Recovered(calls, killedAt, TimeSpan.FromSeconds(1));
        lines.Add($"every call succeeding within 1 s again from {S(recovered)} after the kill");
        lines.AddRange(bad.OrderBy(c => c.Started).Take(12).Select(c => $"    slow or failed: {c.Kind} started {S(c.Started - killedAt)}, took {(c.Ended - c.Started).TotalMilliseconds:0} ms, {c.Failure ?? "ok"}"));
        return string.Join('\n', lines);
    }

    /// <summary>The calls that ended after the kill and failed or took longer than <paramref name="slow"/>.</summary>
    private static Call[] SlowOrFailed(IEnumerable<Call> calls, TimeSpan killedAt, TimeSpan slow) =>
        [.. calls.Where(c => c.Ended >= killedAt && (c.Failure is not null || c.Ended - c.Started > slow))];

    /// <summary>How long after the kill the last slow or failed call ended: from then on every call succeeded within <paramref name="slow"/>.</summary>
    private static TimeSpan Recovered(IEnumerable<Call> calls, TimeSpan killedAt, TimeSpan slow) =>
        SlowOrFailed(calls, killedAt, slow) is { Length: > 0 } bad ? bad.Max(c => c.Ended) - killedAt : TimeSpan.Zero;

    private sealed record Call(string Kind, TimeSpan Started, TimeSpan Ended, string? Failure)
    {
        public override string ToString() => $"{Kind} [{Started.TotalSeconds:0.00}..{Ended.TotalSeconds:0.00}] {Failure ?? "ok"}";
    }

    private sealed class RestFailure(HttpStatusCode status, string body) : Exception($"HTTP {(int)status}: {body}")
    {
        public HttpStatusCode Status { get; } = status;

        public string Body { get; } = body;
    }
}
