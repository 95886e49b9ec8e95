using System.Diagnostics;
using System.Net.Http.Json;
using Live.Client;
using Live.Cluster.Tests.Infrastructure;
using Live.Contracts.Rooms;
using Live.Hub.Identity;
using Microsoft.Extensions.Options;

namespace Live.Cluster.Tests;

/// <summary>scripts/cluster.sh, as a user runs it: the split deployment comes up, works across hubs, and stops.</summary>
public sealed class ClusterScriptTests
{
    [Fact]
    public async Task TheClusterScriptStartsAWorkingSplitDeploymentAndStopsIt()
    {
        const int offset = 1700;
        var dir = Path.Combine(Path.GetTempPath(), "redlive-cluster-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var start = await RunAsync("start", "--no-build", "--config", BuildOutput.Configuration, "--port-offset", offset.ToString(), "--dir", dir);
            Assert.True(start.ExitCode == 0, start.Output);

            var key = (await File.ReadAllTextAsync(Path.Combine(dir, "signing-key"))).Trim();
            var tokens = new TokenIssuer(Options.Create(new LiveAuthOptions { SigningKey = key }), TimeProvider.System);
            var (hubA, hubB) = (new Uri($"http://127.0.0.1:{5081 + offset}"), new Uri($"http://127.0.0.1:{5082 + offset}"));
            using var host = LiveCluster.Http(hubA, tokens.Issue("script-host", "Host", "host"));
            var room = await host.PostAsJsonAsync("/api/rooms", new { title = "From the script" }).ReadAsync<Room>();
            await host.PostAsync($"/api/rooms/{room.Id}/start", null).ReadAsync<Room>();

            await using var onA = new LiveClient(LiveCluster.Connection(hubA, tokens.Issue("script-a", "A", "viewer")));
            await using var onB = new LiveClient(LiveCluster.Connection(hubB, tokens.Issue("script-b", "B", "viewer")));
            var seenB = new RoomRecorder();
            await onA.StartAsync();
            await onB.StartAsync();
            await onA.JoinRoomAsync(room.Id);
            await onB.JoinRoomAsync(room.Id, seenB.Attach);
            var sent = await onA.SendChatAsync(room.Id, "via the script's cluster");
            await seenB.Chat.WaitUntilAsync(c => c.Any(m => m.Id == sent.Id), "hub 1's chat on hub 2");
        }
        finally
        {
            var stop = await RunAsync("stop", "--dir", dir);
            Assert.True(stop.ExitCode == 0, stop.Output);
            Assert.DoesNotContain(" running", (await RunAsync("status", "--dir", dir)).Output.Replace("not running", "", StringComparison.Ordinal));
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(Repo.Root, "scripts", "cluster.sh"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
