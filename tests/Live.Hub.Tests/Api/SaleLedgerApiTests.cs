using System.Net;
using System.Text.Json;
using Live.Contracts.FlashSales;
using Live.Hub.Realtime;
using Live.Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Hub.Tests.Api;

/// <summary><c>GET /api/flash-sales/{id}/ledger</c> and <c>/audit</c>: the room's host only, problems as elsewhere.</summary>
[Collection(ServerCollection.Name)]
public sealed class SaleLedgerApiTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Fact]
    public async Task TheHostPagesThroughEveryDecisionAndTheAuditIsConsistent()
    {
        var host = new HostScenario(Server, "host-ledger");
        var product = await host.CreateProductAsync(stock: 20);
        var room = await host.CreateRoomAsync();
        var sale = await host.StartSaleAsync(room.Id, product.Id, quantity: 3, perUserLimit: 2);
        await using var buyer = await Server.ConnectAsync(Server.Token("ledger-buyer", "viewer", "Ana"));
        var results = new List<PurchaseResult>();
        foreach (var (quantity, requestId) in new[] { (2, "r1"), (1, "r2"), (1, "r1") })
        {
            results.Add(await buyer.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNow), sale.Id, quantity, requestId));
        }

        var first = await (await host.Host.GetAsync($"/api/flash-sales/{sale.Id}/ledger?limit=2")).ReadAsync<FlashSaleLedgerPage>();
        var rest = await (await host.Host.GetAsync($"/api/flash-sales/{sale.Id}/ledger?after={first.Next}&limit=1000")).ReadAsync<FlashSaleLedgerPage>();
        var audit = await (await host.Host.GetAsync($"/api/flash-sales/{sale.Id}/audit")).ReadAsync<FlashSaleAudit>();

        Assert.Equal(2, first.Next);
        Assert.Null(rest.Next);
        var decided = first.Entries.Concat(rest.Entries).Where(e => e.Kind == FlashSaleLedgerKinds.Decided).ToArray();
        Assert.Equal(
            [("r1", 2, PurchaseStatus.Confirmed, 1), ("r2", 1, PurchaseStatus.LimitExceeded, 1)],
            decided.Select(e => (e.RequestId!, e.Quantity!.Value, e.Status!, e.Remaining!.Value)));
        Assert.Equal(results[0], results[2]);
        Assert.Equal(("ledger-buyer", results[0].OrderId), (decided[0].UserId, decided[0].OrderId));
        Assert.Equal((3, 2, 1, 2, true), (audit.Quantity, audit.Confirmed, audit.Remaining, audit.Orders, audit.Consistent));

        // The wire's field names, as PROTOCOL.md lists them.
        using var json = JsonDocument.Parse(await host.Host.GetStringAsync($"/api/flash-sales/{sale.Id}/audit"));
        Assert.Equal(
            ["saleId", "quantity", "confirmed", "remaining", "orders", "consistent", "decisions", "problems"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task OnlyTheRoomsHostMayReadTheLedgerOrTheAudit()
    {
        var host = new HostScenario(Server, "host-ledger-owner");
        var product = await host.CreateProductAsync(stock: 20);
        var room = await host.CreateRoomAsync();
        var sale = await host.StartSaleAsync(room.Id, product.Id, quantity: 3);

        foreach (var path in new[] { "ledger", "audit" })
        {
            var url = $"/api/flash-sales/{sale.Id}/{path}";
            await Problems.AssertAsync(await Server.Client(Server.Token("host-ledger-intruder", "host")).GetAsync(url), HttpStatusCode.Forbidden, "forbidden");
            await Problems.AssertAsync(await Server.Client(Server.Token("viewer-ledger-intruder")).GetAsync(url), HttpStatusCode.Forbidden, "forbidden");
            await Problems.AssertAsync(await Server.Client(null).GetAsync(url), HttpStatusCode.Unauthorized, "unauthenticated");
            await Problems.AssertAsync(await host.Host.GetAsync($"/api/flash-sales/sale_missing/{path}"), HttpStatusCode.NotFound, "not_found");
        }

        await Problems.AssertAsync(await host.Host.GetAsync($"/api/flash-sales/{sale.Id}/ledger?limit=0"), HttpStatusCode.BadRequest, "invalid_argument");
        await Problems.AssertAsync(await host.Host.GetAsync($"/api/flash-sales/{sale.Id}/ledger?limit=1001"), HttpStatusCode.BadRequest, "invalid_argument");
        await Problems.AssertAsync(await host.Host.GetAsync($"/api/flash-sales/{sale.Id}/ledger?after=-1"), HttpStatusCode.BadRequest, "invalid_argument");
        await Problems.AssertAsync(await host.Host.GetAsync($"/api/flash-sales/{sale.Id}/ledger?after=first"), HttpStatusCode.BadRequest, "invalid_argument");
    }
}
