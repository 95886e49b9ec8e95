using System.CommandLine;
using Live.LoadTests.Engine;
using Live.LoadTests.Scenarios;
using Live.LoadTests.Servers;

namespace Live.LoadTests;

/// <summary>The command line: the default command runs scenarios; <c>serve</c> is the server child it starts itself.</summary>
public static class LoadTestCommand
{
    public static readonly string[] ScenarioNames = ["fanout", "fanout-bare", "rush", "rush-bare", "join", "idle", "idle-bare", "rooms", "resume", "resume-bare"];

    /// <summary>Whether the command line runs the bare SignalR baseline server (<c>serve --kind Bare</c>).</summary>
    public static bool ServesBare(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0] != "serve")
        {
            return false;
        }

        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] == "--kind" && i + 1 < args.Count)
            {
                return string.Equals(args[i + 1], "Bare", StringComparison.OrdinalIgnoreCase);
            }

            if (args[i].StartsWith("--kind=", StringComparison.Ordinal) || args[i].StartsWith("--kind:", StringComparison.Ordinal))
            {
                return string.Equals(args[i][7..], "Bare", StringComparison.OrdinalIgnoreCase);
            }
        }

        return false;
    }

    public static void Configure(RootCommand root)
    {
        var scenarios = new Option<string[]>("--scenario", "-s")
        {
            Description = $"Scenarios to run, in order: {string.Join(", ", ScenarioNames)}, or all",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => ["fanout"],
        };
        var baseline = new Option<bool>("--baseline") { Description = "Also run fanout, rush and resume against a bare SignalR hub and state RedLive's cost as a ratio" };
        var host = new Option<HostMode>("--host") { Description = "Where servers run: InProcess, Process (a child of this tool), Cluster (redis-server, --silos silo and --hubs hub processes; the bare baseline as with Process) or Url", DefaultValueFactory = _ => HostMode.InProcess };
        var url = new Option<string?>("--url") { Description = "RedLive's address for --host Url (127.0.0.1 only)" };
        var serverPid = new Option<int?>("--server-pid") { Description = "RedLive's process id for CPU and memory samples with --host Url" };
        var bareUrl = new Option<string?>("--bare-url") { Description = "The bare SignalR server's address for --host Url (run `serve --kind Bare`)" };
        var barePid = new Option<int?>("--bare-pid") { Description = "The bare server's process id with --host Url" };
        var storage = new Option<string>("--storage") { Description = "Grain storage of the RedLive servers the tool starts: Sqlite (the default, a new data folder per scenario) or Memory", DefaultValueFactory = _ => "Sqlite" };
        storage.AcceptOnlyFromAmong("Sqlite", "Memory");
        var protocol = new Option<WireProtocol>("--protocol") { Description = "SignalR protocol: Json or MessagePack", DefaultValueFactory = _ => WireProtocol.Json };
        var viewers = new Option<int[]>("--viewers") { Description = "Viewers for fanout, join, idle and resume; several values run fanout once per value", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [1000] };
        var chatters = new Option<int>("--chatters") { Description = "Distinct chatting users (fanout)", DefaultValueFactory = _ => 50 };
        var rate = new Option<double>("--rate") { Description = "Chat messages offered per second (fanout)", DefaultValueFactory = _ => 50 };
        var duration = new Option<double>("--duration") { Description = "Seconds of measured load (fanout, rooms)", DefaultValueFactory = _ => 30 };
        var warmUp = new Option<double>("--warmup") { Description = "Seconds of warm-up load before measuring (fanout and rooms: default 5; rush: at most this long, default 30)", DefaultValueFactory = _ => 5 };
        var units = new Option<int>("--units") { Description = "Units in the rush's sale", DefaultValueFactory = _ => 10_000 };
        var buyers = new Option<int>("--buyers") { Description = "Concurrent buyers in the rush", DefaultValueFactory = _ => 1_000 };
        var warmUpUnits = new Option<int>("--warmup-units") { Description = "Units of a separate warm-up sale that every buyer buys from before the rush is measured, for at most --warmup seconds (the JIT's tiering settles first, as NBomber's warm-up intends)", DefaultValueFactory = _ => 1_000_000 };
        var limit = new Option<int>("--per-user-limit") { Description = "The rush sale's per-user limit (0: twice the fair share)", DefaultValueFactory = _ => 0 };
        var joinSeconds = new Option<double>("--join-seconds") { Description = "The join storm's (and idle's) joins are spread over this many seconds", DefaultValueFactory = _ => 5 };
        var hold = new Option<double>("--hold") { Description = "Seconds the idle scenario holds its viewers before measuring memory", DefaultValueFactory = _ => 10 };
        var rooms = new Option<int>("--rooms") { Description = "Rooms in the many-rooms scenario", DefaultValueFactory = _ => 200 };
        var roomViewers = new Option<int>("--room-viewers") { Description = "Viewers per room in the many-rooms scenario", DefaultValueFactory = _ => 50 };
        var roomRate = new Option<double>("--room-rate") { Description = "Hub calls per second over all rooms (4/5 chat, 1/5 purchases)", DefaultValueFactory = _ => 250 };
        var stalledViewers = new Option<int>("--stalled") { Description = "fanout: viewers that join and then stop reading their socket (owed nothing; the others are measured)", DefaultValueFactory = _ => 0 };
        var likesRate = new Option<double>("--likes") { Description = "fanout, RedLive only: likes per second from the chatters beside the chat (the room's like total reaches every viewer)", DefaultValueFactory = _ => 0 };
        var purchasesRate = new Option<double>("--purchases") { Description = "fanout, RedLive only: purchases per second by the chatters from a flash sale in the room (its progress reaches every viewer)", DefaultValueFactory = _ => 0 };
        var ramp = new Option<bool>("--ramp") { Description = "fanout: raise the chat rate from 0 to --rate over --duration; join, idle: raise joins/s from 0 (same total)" };
        var graceful = new Option<bool>("--graceful") { Description = "resume: stop the server in order (SIGTERM, a deploy) instead of killing it (SIGKILL)" };
        var silos = new Option<int>("--silos") { Description = "Silo processes of --host Cluster", DefaultValueFactory = _ => 2 };
        var hubs = new Option<int>("--hubs") { Description = "Hub server processes of --host Cluster; clients are spread over them in turn", DefaultValueFactory = _ => 2 };
        var sameHub = new Option<bool>("--same-hub") { Description = "resume on --host Cluster: viewers wait for their restarted hub server instead of reconnecting to the next one" };
        var rounds = new Option<int>("--rounds") { Description = "Run everything this many times, every second round in reverse order (with --baseline RedLive and bare SignalR take turns at going first); each round's ratio is shown and the verdict is the median's (odd N: with an even one the median is the mean of the middle two)", DefaultValueFactory = _ => 1 };
        rounds.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--rounds must be at least 1");
            }
        });
        var clientThreads = new Option<int>("--client-threads")
        {
            Description = "The worker minimum of this tool's thread pool, where the clients read their frames (default 8 per core; 0: the runtime's, one per core). Servers the tool starts in processes of their own (Process, Cluster) keep the runtime's; with InProcess the server shares it",
            DefaultValueFactory = _ => DefaultClientThreads,
        };
        var output = new Option<string>("--out") { Description = "Folder under which artifacts/loadtests/<timestamp>/ reports go", DefaultValueFactory = _ => Path.Combine("artifacts", "loadtests") };
        foreach (var option in new Option[] { scenarios, baseline, host, url, serverPid, bareUrl, barePid, storage, protocol, viewers, chatters, rate, duration, warmUp, units, warmUpUnits, buyers, limit, joinSeconds, hold, rooms, roomViewers, roomRate, ramp, stalledViewers, likesRate, purchasesRate, graceful, silos, hubs, sameHub, rounds, clientThreads, output })
        {
            root.Options.Add(option);
        }

        root.SetAction(async (parse, cancellationToken) =>
        {
            var names = parse.GetValue(scenarios)!.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
            if (names.Contains("all"))
            {
                names = ["fanout", "rush", "join", "idle", "rooms"];
            }

            if (parse.GetValue(baseline))
            {
                names = [.. names.SelectMany(n => n is "fanout" or "rush" or "resume" ? new[] { n, $"{n}-bare" } : [n]).Distinct()];
            }

            if (names.FirstOrDefault(n => !ScenarioNames.Contains(n)) is { } unknown)
            {
                Console.Error.WriteLine($"unknown scenario {unknown}; known: {string.Join(", ", ScenarioNames)}, all");
                return 3;
            }

            ApplyClientThreads(parse.GetValue(clientThreads));
            var hostMode = parse.GetValue(host);
            var settings = new RunSettings
            {
                Host = hostMode,
                Url = Loopback(parse.GetValue(url)),
                ServerPid = parse.GetValue(serverPid),
                BareUrl = Loopback(parse.GetValue(bareUrl)),
                BarePid = parse.GetValue(barePid),
                Protocol = parse.GetValue(protocol),
                Storage = parse.GetValue(storage)!,
                Silos = parse.GetValue(silos),
                Hubs = parse.GetValue(hubs),
            };
            if (hostMode == HostMode.Cluster && (settings.Silos < 1 || settings.Hubs < 1))
            {
                Console.Error.WriteLine("--host Cluster needs at least one silo and one hub");
                return 3;
            }

            if (hostMode == HostMode.Url && settings.Url is null && names.Any(n => !n.EndsWith("-bare", StringComparison.Ordinal)))
            {
                Console.Error.WriteLine("--host Url needs --url");
                return 3;
            }

            var viewerCounts = parse.GetValue(viewers)!;
            var fanout = new FanoutOptions
            {
                Chatters = parse.GetValue(chatters),
                Rate = parse.GetValue(rate),
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                WarmUp = TimeSpan.FromSeconds(parse.GetValue(warmUp)),
                Ramp = parse.GetValue(ramp),
                Stalled = parse.GetValue(stalledViewers),
                Likes = parse.GetValue(likesRate),
                Purchases = parse.GetValue(purchasesRate),
            };
            // The rush's warm-up is longer unless --warmup is given: a fresh server JIT-compiles for ~20 s of a rush.
            var rushWarmUp = parse.GetResult(warmUp) is { Implicit: false } ? parse.GetValue(warmUp) : 30;
            var rush = new RushOptions { Units = parse.GetValue(units), WarmUpUnits = parse.GetValue(warmUpUnits), WarmUp = TimeSpan.FromSeconds(rushWarmUp), Buyers = parse.GetValue(buyers), PerUserLimit = parse.GetValue(limit) };
            var join = new JoinOptions { Over = TimeSpan.FromSeconds(parse.GetValue(joinSeconds)), Ramp = parse.GetValue(ramp) };
            // A fresh set of scenarios per round: each holds its own clients and counters.
            List<Scenario> Build()
            {
                var list = new List<Scenario>();
                foreach (var name in names)
                {
                    switch (name)
                    {
                        case "fanout":
                        case "fanout-bare":
                            list.AddRange(viewerCounts.Select(v => FanoutScenario.Create(fanout with { Viewers = v }, name == "fanout" ? ServerKind.RedLive : ServerKind.Bare)));
                            break;
                        case "rush":
                        case "rush-bare":
                            list.Add(RushScenario.Create(rush, name == "rush" ? ServerKind.RedLive : ServerKind.Bare));
                            break;
                        case "join":
                            list.AddRange(viewerCounts.Select(v => JoinScenario.Create(join with { Viewers = v }, ServerKind.RedLive)));
                            break;
                        case "idle":
                        case "idle-bare":
                            list.AddRange(viewerCounts.Select(v => JoinScenario.Create(join with { Viewers = v, Hold = TimeSpan.FromSeconds(parse.GetValue(hold)) }, name == "idle" ? ServerKind.RedLive : ServerKind.Bare)));
                            break;
                        case "resume":
                        case "resume-bare":
                            list.AddRange(viewerCounts.Select(v => ResumeScenario.Create(new ResumeOptions { Viewers = v, Graceful = parse.GetValue(graceful), FailOver = hostMode == HostMode.Cluster && settings.Hubs > 1 && !parse.GetValue(sameHub) }, name == "resume" ? ServerKind.RedLive : ServerKind.Bare)));
                            break;
                        case "rooms":
                            list.Add(RoomsScenario.Create(new RoomsOptions
                            {
                                Rooms = parse.GetValue(rooms),
                                ViewersPerRoom = parse.GetValue(roomViewers),
                                Rate = parse.GetValue(roomRate),
                                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                                WarmUp = TimeSpan.FromSeconds(parse.GetValue(warmUp)),
                            }));
                            break;
                    }
                }

                // Fan-out runs against RedLive and bare SignalR back to back per viewer count, so the pairs sit together.
                list = [.. list.OrderBy(s => names.IndexOf(s.Name.Split('-')[0]) is var i and >= 0 ? i : int.MaxValue).ThenBy(s => s.Name.Split('-').Length > 1 && int.TryParse(s.Name.Split('-')[1], out var n) ? n : 0)];
                return list;
            }

            var folder = Path.Combine(parse.GetValue(output)!, DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
            var commandLine = "Live.LoadTests " + string.Join(' ', Arguments(parse));
            var report = await LoadTestRun.ExecuteAsync(settings with { LogDirectory = folder }, Build, parse.GetValue(rounds), commandLine, folder, Console.Out, cancellationToken);
            return !report.ChecksPassed ? 2 : report.ThresholdsPassed ? 0 : 1;
        });

        root.Subcommands.Add(ServeCommand());
    }

    /// <summary>The tool's default worker minimum: 8 per core (16 on the 2-core machine of docs/PERF.md §28).</summary>
    public static int DefaultClientThreads => 8 * Environment.ProcessorCount;

    /// <summary>
    /// Raises the worker minimum of the tool's own thread pool. Thousands of clients read their frames on a pool that
    /// starts with one worker per core and grows by about one per 500 ms when it is starved; on a small machine their
    /// reads then queue behind each other, and that wait lands in the measured latency of the server under test (more in
    /// RedLive's, whose viewers do more per frame here than bare SignalR's).
    /// </summary>
    public static void ApplyClientThreads(int workers)
    {
        if (workers <= 0)
        {
            return;
        }

        ThreadPool.GetMinThreads(out var current, out var io);
        ThreadPool.SetMinThreads(Math.Max(current, workers), io);
    }

    private static IEnumerable<string> Arguments(ParseResult parse) => parse.Tokens.Select(t => t.Value.Contains(' ') ? $"\"{t.Value}\"" : t.Value);

    private static Uri? Loopback(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var uri = new Uri(value);
        if (!uri.IsLoopback)
        {
            throw new ArgumentException($"{value}: load is only ever sent to this machine's loopback addresses");
        }

        return uri;
    }

    private static Command ServeCommand()
    {
        var kind = new Option<ServerKind>("--kind") { Description = "RedLive (embedded) or Bare", DefaultValueFactory = _ => ServerKind.RedLive };
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1", DefaultValueFactory = _ => 5080 };
        var parentPid = new Option<int?>("--parent-pid") { Description = "Exit when this process is gone" };
        var set = new Option<string[]>("--set") { Description = "Configuration Key=Value, repeatable (e.g. RateLimits:BuysPerSecond=1000)", DefaultValueFactory = _ => [] };
        var serve = new Command("serve", "Runs one server for the load tool: embedded RedLive or the bare SignalR baseline, with a memory endpoint.");
        foreach (var option in new Option[] { kind, port, parentPid, set })
        {
            serve.Options.Add(option);
        }

        serve.SetAction(async (parse, cancellationToken) =>
        {
            var settings = parse.GetValue(set)!.Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => (string?)(p.Length > 1 ? p[1] : ""));
            var app = ServerApps.Build(parse.GetValue(kind), parse.GetValue(port), settings);
            await app.StartAsync(cancellationToken);
            Console.WriteLine($"serving {parse.GetValue(kind)} on 127.0.0.1:{parse.GetValue(port)}");
            var parent = parse.GetValue(parentPid);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));

            // The web host takes SIGTERM for itself (it stops the app): stop serving on either signal.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    if (parent is { } pid && !Alive(pid))
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM.
            }

            await app.StopAsync(TimeSpan.FromSeconds(10));
            await app.DisposeAsync();
            return 0;
        });
        return serve;
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
