using Live.LoadTests.Engine;
using Live.LoadTests.Scenarios;
using Live.LoadTests.Servers;

namespace Live.LoadTests.Tests;

/// <summary>
/// Every scenario at a small size against a real server in this process, over real WebSockets: the scenario's own
/// correctness checks must pass. No latency is asserted; the numbers of a shared two-core machine prove nothing.
/// </summary>
public sealed class SmallRunTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ScenarioTimeout = TimeSpan.FromMinutes(3);

    // Five processes to start (and one to restart) on a shared two-core machine.
    private static readonly TimeSpan ClusterScenarioTimeout = TimeSpan.FromMinutes(8);

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task FanOutDeliversEveryAcceptedMessageToEveryViewer(WireProtocol protocol)
    {
        var report = await RunAsync(FanoutScenario.Create(Fanout, ServerKind.RedLive), protocol);

        AssertChecksPassed(report);
        Assert.Equal("50 of 50", report.Checks.Single(c => c.Name == "all viewers connected and joined").Detail);
        Assert.Equal(100, report.ValueOf("delivered ratio"));
        Assert.Equal(report.ValueOf("messages sent"), report.ValueOf("messages accepted"));
        Assert.Equal(report.ValueOf("deliveries owed"), report.Metric(FanoutScenario.DeliveryMetric)!.Count);
    }

    [Fact]
    public async Task FanOutWithLikesAndASaleGivesEveryViewerTheirTotalsAndStillEveryMessage()
    {
        // Ten chatters: 20 likes/s and 5 purchases/s stay within each user's limits (10 likes/s, the purchase limit).
        var report = await RunAsync(FanoutScenario.Create(Fanout with { Likes = 20, Purchases = 5 }, ServerKind.RedLive), WireProtocol.MessagePack);

        AssertChecksPassed(report);
        Assert.Contains(report.Checks, c => c.Name == "likes answered");
        Assert.Contains(report.Checks, c => c.Name == "purchases answered");
        Assert.True(report.ValueOf("likes sent") > 0, "no likes were sent");
        Assert.True(report.ValueOf("purchases sent") > 0, "no purchases were made");
        Assert.True(report.ValueOf("latest-value events per viewer/s") > 0, "the viewers received no like totals or sale progress");
        Assert.True(report.ValueOf("chat frames per viewer/s") > 0, "the viewers' chat frames were not counted");
        Assert.Equal(100, report.ValueOf("delivered ratio"));
    }

    [Fact]
    public async Task FanOutRunsUnchangedAgainstBareSignalR()
    {
        var report = await RunAsync(FanoutScenario.Create(Fanout, ServerKind.Bare), WireProtocol.Json);

        AssertChecksPassed(report);
        Assert.Equal("fanout-50-bare", report.Name);
        Assert.Equal(100, report.ValueOf("delivered ratio"));
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task RushSellsOutWithoutOversellAndOrdersMatchConfirmations(WireProtocol protocol)
    {
        var report = await RunAsync(RushScenario.Create(new RushOptions { Units = 200, Buyers = 50, WarmUpUnits = 20 }, ServerKind.RedLive), protocol);

        AssertChecksPassed(report);
        Assert.Contains(report.Checks, c => c.Name == "no oversell");
        Assert.Contains(report.Checks, c => c.Name == "sold out");
        Assert.Equal(200, report.ValueOf("units sold (sale)"));
        Assert.Equal(200, report.ValueOf("units ordered (orders)"));
        Assert.Equal(200, report.Counters["answer: confirmed"]);
    }

    [Fact]
    public async Task RushBaselineEchoesAsManyCallsAsTheSaleTakes()
    {
        var report = await RunAsync(RushScenario.Create(new RushOptions { Units = 200, Buyers = 50, WarmUpUnits = 20 }, ServerKind.Bare), WireProtocol.Json);

        AssertChecksPassed(report);
        Assert.Equal(200, report.ValueOf("answers"));
    }

    [Fact]
    public async Task JoinStormGivesEveryViewerTheRoomsSnapshotAndTheRoomCountsThem()
    {
        var report = await RunAsync(JoinScenario.Create(new JoinOptions { Viewers = 50, Over = TimeSpan.FromSeconds(1) }, ServerKind.RedLive), WireProtocol.Json);

        AssertChecksPassed(report);
        Assert.Equal(50, report.StepsOk);
        Assert.Equal(50, report.ValueOf("room's viewer count"));
    }

    [Fact]
    public async Task IdleViewersStayConnectedAndTheirMemoryIsMeasured()
    {
        var report = await RunAsync(JoinScenario.Create(new JoinOptions { Viewers = 50, Over = TimeSpan.FromSeconds(1), Hold = TimeSpan.FromSeconds(1) }, ServerKind.RedLive), WireProtocol.Json);

        AssertChecksPassed(report);
        Assert.NotNull(report.ValueOf("RSS per viewer"));
        Assert.NotNull(report.ValueOf("managed heap per viewer"));
        Assert.Equal(90, report.ValueOf("connections held"));
    }

    [Fact]
    public async Task ManyRoomsDeliverChatPerRoomAndKeepEverySaleCorrect()
    {
        var options = new RoomsOptions { Rooms = 4, ViewersPerRoom = 10, Rate = 8, UnitsPerRoom = 3, PerUserLimit = 2, Duration = TimeSpan.FromSeconds(6), WarmUp = TimeSpan.FromSeconds(1) };
        var report = await RunAsync(RoomsScenario.Create(options), WireProtocol.MessagePack);

        AssertChecksPassed(report);
        Assert.Equal(100, report.ValueOf("delivered ratio"));
        Assert.True(report.Metric(RoomsScenario.BuyMetric)!.Count > 0, "some purchases were made");
    }

    [Theory]
    [InlineData(ServerKind.RedLive)]
    [InlineData(ServerKind.Bare)]
    public async Task AfterTheServerIsKilledAndRestartedEveryViewerIsBackAndGetsAllTheChatThatFollows(ServerKind kind)
    {
        // The server runs as a child process: the scenario kills it (SIGKILL) and starts it again on the same data.
        var scenario = ResumeScenario.Create(new ResumeOptions { Viewers = 20, Rate = 4, After = TimeSpan.FromSeconds(2) }, kind);
        var report = await RunAsync(scenario, WireProtocol.MessagePack, HostMode.Process);

        AssertChecksPassed(report);
        Assert.Equal("20 of 20", report.Checks.Single(c => c.Name == "every viewer back in the room (within 120 s)").Detail);
        Assert.Equal(20, report.ValueOf("viewers back"));
        Assert.Equal(20, report.Metric(ResumeScenario.BackMetric)!.Count);
        Assert.True(report.ValueOf("kill to healthy") > 0);
        if (kind == ServerKind.RedLive)
        {
            Assert.Equal(20, report.ValueOf("resumed with the missed events") + report.ValueOf("answered a fresh snapshot"));
        }
    }

    [Fact]
    public async Task RushOnARedisClusterSellsOutWithoutOversellAndOrdersMatchConfirmations()
    {
        // redis-server (appendfsync always), 2 silos and 2 hub servers as processes; buyers on both hubs, tokens
        // signed by the tool (the hubs run in production mode, no development tokens).
        var report = await RunAsync(RushScenario.Create(new RushOptions { Units = 200, Buyers = 50, WarmUpUnits = 20 }, ServerKind.RedLive), WireProtocol.MessagePack, HostMode.Cluster);

        AssertChecksPassed(report);
        Assert.Contains("2 silos, 2 hubs", report.Server);
        Assert.Contains(report.Checks, c => c.Name == "confirmed == orders == sold");
        Assert.Equal(200, report.ValueOf("units sold (sale)"));
        Assert.Equal(200, report.ValueOf("units ordered (orders)"));
        Assert.Equal(200, report.Counters["answer: confirmed"]);
        Assert.All(["redis-server", "silo-1", "silo-2", "hub-1", "hub-2"], name => Assert.NotNull(report.ValueOf($"rss peak {name}")));

        // redis-server appends every decision and order to its append-only file: the measured phase wrote something.
        Assert.True(report.ValueOf("server disk written per answer") > 0, $"written per answer: {report.ValueOf("server disk written per answer")}");
    }

    [Fact]
    public async Task AfterAClusterHubServerIsKilledEveryViewerResumesOnTheOtherHubWithTheMissedEvents()
    {
        // Every viewer is on hub 1, which is killed (SIGKILL) and restarted; each reconnect goes to hub 2 while hub 1
        // is down. The room's retained window lives in its grain on a silo, so every viewer resumes with the events.
        var scenario = ResumeScenario.Create(new ResumeOptions { Viewers = 20, Rate = 4, After = TimeSpan.FromSeconds(2), FailOver = true }, ServerKind.RedLive);
        var report = await RunAsync(scenario, WireProtocol.MessagePack, HostMode.Cluster);

        AssertChecksPassed(report);
        Assert.Equal("20 of 20", report.Checks.Single(c => c.Name == "every viewer back in the room (within 120 s)").Detail);
        Assert.Equal(20, report.ValueOf("reconnects to another hub server"));
        Assert.Equal(20, report.ValueOf("resumed with the missed events"));
        Assert.Equal(20, report.Metric(ResumeScenario.BackSinceKillMetric)!.Count);
        Assert.True(report.ValueOf("kill to healthy") > 0);
    }

    [Fact]
    public async Task AfterTheServerIsStoppedInOrderAndRestartedEveryViewerResumesWithTheEventsItMissed()
    {
        // SIGTERM, as a deploy stops the server: every room hands its retained window to its next activation, so no
        // viewer starts again from a snapshot, including those whose first reconnect reached the stopping server.
        var scenario = ResumeScenario.Create(new ResumeOptions { Viewers = 20, Rate = 4, After = TimeSpan.FromSeconds(2), Graceful = true }, ServerKind.RedLive);
        var report = await RunAsync(scenario, WireProtocol.MessagePack, HostMode.Process);

        AssertChecksPassed(report);
        Assert.Equal("resume-20-graceful", report.Name);
        Assert.Equal(20, report.ValueOf("viewers back"));
        Assert.Equal(20, report.ValueOf("resumed with the missed events"));
        Assert.Equal(0, report.ValueOf("answered a fresh snapshot"));
    }

    private static FanoutOptions Fanout => new()
    {
        Viewers = 50,

        // One message a second per user: half the server's default chat limit, so a stalled machine's catch-up
        // burst stays within the limit's burst of 5.
        Chatters = 10,
        Rate = 10,
        Duration = TimeSpan.FromSeconds(3),
        WarmUp = TimeSpan.FromSeconds(1),
    };

    private async Task<ScenarioReport> RunAsync(Scenario scenario, WireProtocol protocol, HostMode host = HostMode.InProcess)
    {
        var log = new StringWriter();
        var runner = new LoadRunner(new RunSettings { Host = host, Protocol = protocol, LogDirectory = Path.Combine(Path.GetTempPath(), "redlive-loadtest-logs") }, TextWriter.Synchronized(log));
        var timeout = host == HostMode.Cluster ? ClusterScenarioTimeout : ScenarioTimeout;
        try
        {
            return await runner.RunAsync(scenario, null, CancellationToken.None).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"scenario {scenario.Name} did not finish within {timeout}");
        }
        finally
        {
            output.WriteLine(log.ToString());
        }
    }

    private static void AssertChecksPassed(ScenarioReport report)
    {
        Assert.Null(report.Error);
        Assert.NotEmpty(report.Checks);
        Assert.All(report.Checks, c => Assert.True(c.Passed, $"{report.Name}: {c.Name}: {c.Detail}"));
        Assert.True(report.StepsFailed == 0, $"{report.Name}: failed steps: {string.Join(", ", report.Errors.Select(e => $"{e.Key} × {e.Value}"))}");
    }
}
