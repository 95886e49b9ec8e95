using Live.LoadTests.Engine;
using Live.LoadTests.Servers;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.LoadTests.Scenarios;

public static class Connections
{
    /// <summary>How many connections are opened at once while a scenario sets up.</summary>
    public const int Parallelism = 32;

    /// <summary>
    /// Opens <paramref name="count"/> connections with <paramref name="open"/> (which connects and joins), showing
    /// progress; records a check that all of them made it.
    /// </summary>
    public static async Task<HubConnection[]> OpenManyAsync(ScenarioContext context, string what, int count, Func<int, CancellationToken, Task<HubConnection>> open)
    {
        var opened = new HubConnection?[count];
        var done = 0;
        var failed = 0;
        var previous = context.Status;
        context.Status = () => $"{what}: {Volatile.Read(ref done)}/{count} open, {Volatile.Read(ref failed)} failed";
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = context.Aborted }, async (i, ct) =>
        {
            try
            {
                opened[i] = await open(i, ct);
                Interlocked.Increment(ref done);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref failed);
                context.Count($"{what}: {LoadRunner.ErrorName(e)}");
            }
        });
        context.Status = previous;
        context.Check($"all {what} connected and joined", failed == 0, $"{done} of {count}");
        context.Log($"{what}: {done} of {count} connected and joined");
        return [.. opened.OfType<HubConnection>()];
    }

    /// <summary>Tokens for many users at once, through the server's token endpoint.</summary>
    public static async Task<string?[]> TokensAsync(ScenarioContext context, LiveClients clients, string prefix, int count, string role = "viewer")
    {
        var tokens = new string?[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = context.Aborted }, async (i, ct) =>
            tokens[i] = await clients.TokenAsync($"{prefix}-{i}", role, ct));
        return tokens;
    }
}
