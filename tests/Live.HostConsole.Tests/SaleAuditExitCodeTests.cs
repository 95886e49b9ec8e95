using Live.HostConsole.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Live.HostConsole.Tests;

/// <summary>
/// <c>sales audit</c>'s exit code when the audit finds a problem. A real server's ledger and order books agree unless
/// something broke, and a test cannot break them without reaching into the server; what is tested here is the
/// console's part, what it does with the answer, so the answer comes from a stand-in server that sends an inconsistent
/// audit exactly as the real one words it (PROTOCOL.md's <c>SaleAudit</c>). The consistent case, against the real
/// server, is <see cref="HostConsoleTests.TheHostAuditsASaleAndListsItsLedgerFromTheConsole"/>.
/// </summary>
public sealed class SaleAuditExitCodeTests
{
    private const string InconsistentAudit = """
        {"saleId":"fs_oversold","quantity":5,"confirmed":6,"remaining":0,"orders":5,"consistent":false,"decisions":7,
         "problems":["confirmed 6 + remaining 0 is not the quantity 5","order ord_6 of a confirmation is in no order book"]}
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnInconsistentAuditPrintsItsProblemsAndExitsThree(bool json)
    {
        await using var server = await StandInServer.StartAsync("/api/flash-sales/fs_oversold/audit", InconsistentAudit);

        string[] args = json ? ["--token", "host-token", "--json", "sales", "audit", "fs_oversold"] : ["--token", "host-token", "sales", "audit", "fs_oversold"];
        var result = await ConsoleResult.RunAsync(server.BaseUri, args);

        // 3 as documented (docs/CLIENTS.md), whatever the constant's name: scripts test the number.
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Equal(
            json
                ? InconsistentAudit
                : string.Join(
                    Environment.NewLine,
                    "fs_oversold  INCONSISTENT  quantity 5  confirmed 6  remaining 0  orders 5  decisions 7",
                    "  confirmed 6 + remaining 0 is not the quantity 5",
                    "  order ord_6 of a confirmation is in no order book"),
            result.Output);
    }

    /// <summary>A server on a free loopback port that answers one GET path with a fixed JSON body.</summary>
    private sealed class StandInServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private StandInServer(WebApplication app, Uri baseUri)
        {
            _app = app;
            BaseUri = baseUri;
        }

        public Uri BaseUri { get; }

        public static async Task<StandInServer> StartAsync(string path, string json)
        {
            var port = LoopbackPorts.Pick();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapGet(path, () => Results.Text(json, "application/json"));
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
            return new StandInServer(app, new Uri($"http://127.0.0.1:{port}"));
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
