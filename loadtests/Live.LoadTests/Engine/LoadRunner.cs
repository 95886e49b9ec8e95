using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Live.LoadTests.Servers;
using Microsoft.AspNetCore.SignalR;

namespace Live.LoadTests.Engine;

/// <summary>Runs one scenario: server, init, warm-up, measured load, finish, clean; prints a progress line a second.</summary>
public sealed class LoadRunner(RunSettings settings, TextWriter output)
{
    public const string StepMetric = "step";

    /// <param name="scenario">What to run.</param>
    /// <param name="round">The round of a <c>--rounds</c> run (null with one round): named in the output and the report.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public async Task<ScenarioReport> RunAsync(Scenario scenario, int? round, CancellationToken cancellationToken)
    {
        var label = ScenarioReport.LabelOf(scenario.Name, round);
        output.WriteLine($"== {label}: {scenario.Description}");
        var useUrl = settings.Host == HostMode.Url;
        var url = scenario.Server.Kind == ServerKind.Bare ? settings.BareUrl : settings.Url;
        var pid = scenario.Server.Kind == ServerKind.Bare ? settings.BarePid : settings.ServerPid;
        var steps = new StepCounters();
        IServerHost? server = null;
        ScenarioContext? context = null;
        var resources = new List<ResourcePoint>();
        ServerSampler? sampler = null;
        string? error = null;
        var measureWatch = new Stopwatch();
        using var stopProgress = new CancellationTokenSource();
        Task progress = Task.CompletedTask;
        try
        {
            server = await ServerHosts.StartAsync(useUrl ? HostMode.Url : settings.Host, scenario.Server, settings.Storage, url, pid, settings.LogDirectory, cancellationToken, settings.Silos, settings.Hubs);
            context = new ScenarioContext(scenario.Name, server, settings.Protocol, line => output.WriteLine($"   {line}"), cancellationToken);
            context.Metric(StepMetric);
            var host = server;
            sampler = new ServerSampler(() => host.Processes);
            var clientSampler = server.SharesProcessWithClients ? null : new ResourceSampler(Environment.ProcessId);
            progress = ProgressAsync(scenario, context, steps, sampler, clientSampler, resources, measureWatch, stopProgress.Token);

            await scenario.Init(context).WaitAsync(settings.InitTimeout, cancellationToken);

            if (scenario.WarmUp is { } warmUp)
            {
                context.Phase = Phase.WarmUp;
                context.Log($"warm-up: {warmUp.Describe()}");
                await RunSimulationAsync(scenario, context, warmUp, Phase.WarmUp, steps, cancellationToken);
            }

            context.ResetMetrics();
            steps.Reset();
            lock (resources)
            {
                resources.Clear();
                sampler.Reset();
            }

            context.MeasureStarted = Stopwatch.GetTimestamp();
            measureWatch.Start();
            context.Phase = Phase.Measure;
            foreach (var simulation in scenario.Load)
            {
                context.Log($"load: {simulation.Describe()}");
                await RunSimulationAsync(scenario, context, simulation, Phase.Measure, steps, cancellationToken);
            }

            context.MeasuredFor = measureWatch.Elapsed;
            context.ServerBytesWritten = server.SharesProcessWithClients ? null : sampler.WrittenSinceReset();
            if (context.ServerBytesWritten is { } written)
            {
                context.Value("server disk written", written / 1e6, "MB");
            }

            context.Phase = Phase.Finish;
            await scenario.Finish(context).WaitAsync(settings.FinishTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A type initializer's or a task's wrapper says nothing of its own: name what went wrong inside it.
            error = e.GetBaseException() is var inner && inner != e
                ? $"{e.GetType().Name}: {e.Message} ({inner.GetType().Name}: {inner.Message})"
                : $"{e.GetType().Name}: {e.Message}";
            output.WriteLine($"   FAILED: {error}");
        }
        finally
        {
            await stopProgress.CancelAsync();
            await progress;
            if (context is not null && sampler is not null && server is not null)
            {
                AddPerProcess(context, sampler, server);
            }
            if (context is not null)
            {
                await context.CloseConnectionsAsync(TimeSpan.FromSeconds(60));
            }

            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        var report = new ScenarioReport
        {
            Name = scenario.Name,
            Round = round,
            Description = scenario.Description,
            Server = $"{scenario.Server.Kind} ({(useUrl ? $"at {url}" : server is ClusterHost cluster ? cluster.Describe : settings.Host == HostMode.InProcess ? "in the tool's process" : "child process")})",
            Protocol = settings.Protocol.ToString(),
            Settings = scenario.Settings,
            Load = [.. (scenario.WarmUp is null ? [] : new[] { $"warm-up: {scenario.WarmUp.Describe()}" }).Concat(scenario.Load.Select(l => l.Describe()))],
            MeasuredFor = context?.MeasuredFor ?? TimeSpan.Zero,
            StepsOk = steps.Ok,
            StepsFailed = steps.Failed,
            Errors = steps.Errors,
            Metrics = context is null ? [] : [.. context.Metrics.Select(m => m.Summary())],
            Counters = context?.Counters ?? new Dictionary<string, long>(),
            Values = context?.Values ?? [],
            Checks = context?.Checks ?? [],
            Resources = [.. resources],
            ResourceSource = ResourceSource(server, sampler),
            Error = error,
        };
        report.Thresholds = [.. scenario.Thresholds.Select(t => t.Evaluate(report))];
        return report;
    }

    /// <summary>Where the CPU and memory figures come from, in the report's words.</summary>
    private static string ResourceSource(IServerHost? server, ServerSampler? sampler)
    {
        var names = sampler?.PerProcess().Select(p => p.Name).ToList() ?? [];
        return server is null || (names.Count == 0 && server.ProcessId is null) ? "not sampled (no server pid)"
            : server.SharesProcessWithClients ? "the tool's own process (server and clients together)"
            : names.Count > 1 ? $"the sum of {names.Count} server processes ({string.Join(", ", names)}; each one's figures are in the values)"
            : $"server process {server.ProcessId}";
    }

    /// <summary>A server of several processes (a cluster): each one's mean CPU and peak RSS, beside the summed timeline.</summary>
    private static void AddPerProcess(ScenarioContext context, ServerSampler sampler, IServerHost server)
    {
        var processes = sampler.PerProcess();
        if (processes.Count < 2 || server.SharesProcessWithClients)
        {
            return;
        }

        foreach (var (name, cpu, rss) in processes)
        {
            context.Value($"cpu mean {name}", cpu, "% of a core");
            context.Value($"rss peak {name}", rss, "MB");
        }
    }

    private async Task RunSimulationAsync(Scenario scenario, ScenarioContext context, LoadSimulation simulation, Phase phase, StepCounters steps, CancellationToken cancellationToken)
    {
        long iteration = -1;
        switch (simulation)
        {
            case FixedConcurrency fixedLoad:
                {
                    var watch = Stopwatch.StartNew();
                    var copies = Enumerable.Range(0, fixedLoad.Copies).Select(copy => Task.Run(async () =>
                    {
                        for (var i = 0; i < fixedLoad.MaxIterationsPerCopy && watch.Elapsed < fixedLoad.During && !cancellationToken.IsCancellationRequested; i++)
                        {
                            var result = await RunStepAsync(scenario, context, Interlocked.Increment(ref iteration), copy, phase, steps);
                            if (result.Outcome == StepOutcome.Stop)
                            {
                                break;
                            }
                        }
                    }, cancellationToken));
                    await Task.WhenAll(copies);
                    break;
                }

            default:
                {
                    var inFlight = new ConcurrentDictionary<long, Task>();
                    var watch = Stopwatch.StartNew();
                    long started = 0;
                    var total = (long)Math.Round(Started(simulation, simulation.During.TotalSeconds));
                    while (started < total && !cancellationToken.IsCancellationRequested)
                    {
                        var elapsed = watch.Elapsed;
                        var due = elapsed >= simulation.During ? total : Math.Min(total, (long)Started(simulation, elapsed.TotalSeconds));
                        for (; started < due; started++)
                        {
                            if (inFlight.Count >= settings.MaxInFlight)
                            {
                                steps.Fail(phase, "not started: too many steps in flight");
                                continue;
                            }

                            var number = Interlocked.Increment(ref iteration);
                            var task = RunStepAsync(scenario, context, number, -1, phase, steps);
                            if (!task.IsCompleted)
                            {
                                inFlight[number] = task;
                                _ = task.ContinueWith(_ => inFlight.TryRemove(number, out Task? _), TaskScheduler.Default);
                            }
                        }

                        await Task.Delay(5, cancellationToken);
                    }

                    // Answers still due: wait for them, bounded by the longest a call may take.
                    await Task.WhenAll(inFlight.Values).WaitAsync(LiveClients.CallTimeout + TimeSpan.FromSeconds(5), cancellationToken);
                    break;
                }
        }
    }

    /// <summary>Steps a rate simulation has started after <paramref name="seconds"/>: the rate's integral.</summary>
    private static double Started(LoadSimulation simulation, double seconds) => simulation switch
    {
        ConstantRate c => c.PerSecond * seconds,
        Ramp r => (r.FromPerSecond * seconds) + ((r.ToPerSecond - r.FromPerSecond) * seconds * seconds / (2 * r.During.TotalSeconds)),
        _ => throw new ArgumentOutOfRangeException(nameof(simulation), simulation, "unknown load simulation"),
    };

    private static async Task<StepResult> RunStepAsync(Scenario scenario, ScenarioContext context, long iteration, int copy, Phase phase, StepCounters steps)
    {
        var start = Stopwatch.GetTimestamp();
        StepResult result;
        try
        {
            result = await scenario.Step(new StepContext(context, iteration, copy, phase));
        }
        catch (Exception e)
        {
            result = StepResult.Fail(ErrorName(e));
        }

        if (phase == Phase.Measure)
        {
            if (result.Outcome == StepOutcome.Fail)
            {
                steps.Fail(phase, result.Error ?? "failed");
            }
            else
            {
                context.Metric(StepMetric).RecordSince(start);
                steps.Succeeded();
            }
        }

        return result;
    }

    /// <summary>
    /// A short, stable name for an error, for counting: the protocol's error code where there is one (the word after
    /// <c>HubException: </c>, docs/PROTOCOL.md), so a run's refusals are counted by code.
    /// </summary>
    public static string ErrorName(Exception e) => e switch
    {
        HubException hub when ProtocolError.Code(hub) is { } code => code,
        TimeoutException or TaskCanceledException => "timeout",
        _ => $"{e.GetType().Name}: {(e.Message.Length > 80 ? e.Message[..80] : e.Message)}",
    };

    private async Task ProgressAsync(Scenario scenario, ScenarioContext context, StepCounters steps, ServerSampler sampler, ResourceSampler? clientSampler, List<ResourcePoint> resources, Stopwatch measure, CancellationToken stop)
    {
        var since = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var seconds = Math.Round(measure.Elapsed.TotalSeconds);
                var points = context.Metrics.Select(m => (m.Name, Point: m.Flush(seconds))).ToList();
                ResourcePoint? sample;
                lock (resources)
                {
                    sample = sampler.Sample(seconds);
                }

                var client = clientSampler?.Sample(seconds);
                if (sample is not null)
                {
                    sample = sample with { ClientCpuPercent = client?.CpuPercent ?? sample.CpuPercent, LoadAverage = ResourceSampler.LoadAverage() };
                }

                if (sample is not null && context.Phase is Phase.Measure or Phase.Finish)
                {
                    lock (resources)
                    {
                        resources.Add(sample);
                    }
                }

                var line = string.Create(CultureInfo.InvariantCulture, $"   [{scenario.Name} {since.Elapsed.TotalSeconds,4:0}s {context.Phase,-7}] ok {steps.Ok} fail {steps.Failed}");
                foreach (var (name, point) in points.Where(p => p.Point.Count > 0))
                {
                    line += string.Create(CultureInfo.InvariantCulture, $" | {name} {point.Count}/s p50 {point.P50:0.#} p99 {point.P99:0.#} ms");
                }

                if (sample is not null)
                {
                    line += string.Create(CultureInfo.InvariantCulture, $" | server cpu {sample.CpuPercent:0}% rss {sample.RssMb:0} MB | clients cpu {sample.ClientCpuPercent:0}% | load {sample.LoadAverage:0.#}");
                }

                if (context.Status?.Invoke() is { Length: > 0 } status)
                {
                    line += $" | {status}";
                }

                output.WriteLine(line);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the scenario.
        }

        var last = Math.Round(measure.Elapsed.TotalSeconds);

        // One last sample as the scenario ends (its servers still up), so a measured phase shorter than a tick has
        // its CPU and memory figures too.
        if (context.Phase is Phase.Measure or Phase.Finish)
        {
            lock (resources)
            {
                if (sampler.Sample(last) is { } end)
                {
                    var client = clientSampler?.Sample(last);
                    resources.Add(end with { ClientCpuPercent = client?.CpuPercent ?? end.CpuPercent, LoadAverage = ResourceSampler.LoadAverage() });
                }
            }
        }

        foreach (var metric in context.Metrics)
        {
            metric.Flush(last);
        }
    }

    private sealed class StepCounters
    {
        private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
        private long _ok;
        private long _failed;

        public long Ok => Interlocked.Read(ref _ok);

        public long Failed => Interlocked.Read(ref _failed);

        public IReadOnlyDictionary<string, long> Errors => new SortedDictionary<string, long>(_errors, StringComparer.Ordinal);

        public void Succeeded() => Interlocked.Increment(ref _ok);

        public void Fail(Phase phase, string error)
        {
            if (phase != Phase.Measure)
            {
                return;
            }

            Interlocked.Increment(ref _failed);
            _errors.AddOrUpdate(error, 1, (_, v) => v + 1);
        }

        public void Reset()
        {
            Interlocked.Exchange(ref _ok, 0);
            Interlocked.Exchange(ref _failed, 0);
            _errors.Clear();
        }
    }
}
