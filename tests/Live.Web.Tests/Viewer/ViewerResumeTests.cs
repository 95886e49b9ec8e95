using Live.Client;
using Live.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Live.Web.Tests.Viewer;

/// <summary>
/// The web viewer across a short network drop, with the server's room event stream (PROTOCOL.md v1.3): the page
/// resumes the room, so its chat has every message once, in order, and its sale card is right. Needs the server's
/// <c>ResumeRoom</c>: without it the page can only redraw from a snapshot, whose 50 recent messages leave a hole here.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ViewerResumeTests(WebFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Fact]
    public async Task AShortDropLeavesNoHoleInTheChatAndTheSaleCardRight()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var product = await scenario.CreateProductAsync(name: "Running Shoes", brand: "Li-Ning", price: 499.00m);
        var room = await scenario.CreateRoomAsync();
        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 3, perUserLimit: 3);
        var userId = $"hal-{id}";
        await using var viewer = await fixture.OpenAsync(ViewerPage.Phone, isMobile: true);
        var page = viewer.Page;
        await page.GotoAsync("/");
        await viewer.SignInAsync(userId, "Hal");
        await viewer.JoinFromListAsync(room.Id, room.Title);
        var card = page.Locator($"[data-testid=sale-card][data-sale-id='{sale.Id}']");
        await Expect(card.GetByTestId("sale-remaining")).ToHaveTextAsync("3 of 3 left", new() { Timeout = 10_000 });

        // Twelve chatters (a burst of 5 each) and one for before and after: 60 messages while the page is away, more than a snapshot's 50.
        var clients = new List<LiveClient>();
        try
        {
            var chatters = new List<LiveRoom>();
            for (var i = 0; i < 13; i++)
            {
                var client = await Server.ConnectClientAsync(Server.Token($"c{i}-{id}", "viewer", $"C{i}"));
                clients.Add(client);
                chatters.Add(await client.JoinRoomAsync(room.Id));
            }

            var buyer = await Server.ConnectClientAsync(Server.Token($"buyer-{id}", "viewer", "Buyer"));
            clients.Add(buyer);
            var sent = new List<string> { (await chatters[12].SendChatAsync("before the drop")).Id };
            await Expect(page.Locator($"[data-message-id='{sent[0]}']")).ToHaveCountAsync(1, new() { Timeout = 10_000 });

            fixture.Faults.Block();
            try
            {
                Assert.Equal(1, await fixture.Faults.DropAsync(userId));
                await Expect(viewer.ById("connection-banner")).ToHaveAttributeAsync("data-state", "reconnecting", new() { Timeout = 10_000 });
                for (var n = 0; n < 60; n++)
                {
                    sent.Add((await chatters[n % 12].SendChatAsync($"while away {n}")).Id);
                }

                // The sale sells out meanwhile: its FlashSaleEnded is one of the events missed.
                Assert.Equal("confirmed", (await buyer.BuyNowAsync(sale.Id, 3)).Status);
            }
            finally
            {
                fixture.Faults.Unblock();
            }

            await Expect(viewer.ById("connection-banner")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });
            sent.Add((await chatters[12].SendChatAsync("after the drop")).Id);
            await Expect(page.Locator($"[data-message-id='{sent[^1]}']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });

            var shown = await page.Locator("[data-testid=chat-message]").EvaluateAllAsync<string[]>("lines => lines.map(l => l.dataset.messageId)");
            Assert.Equal(sent, shown);
            await Expect(card).ToHaveAttributeAsync("data-status", "soldOut", new() { Timeout = 10_000 });
            await Expect(card.GetByTestId("sale-remaining")).ToHaveTextAsync("0 of 3 left");
            await Expect(card.GetByTestId("sale-countdown")).ToHaveTextAsync("Sold out");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        viewer.AssertNoErrors(e => e.Contains("503") || e.Contains("WebSocket closed") || e.Contains("Connection disconnected")
            || e.Contains("Failed to complete negotiation") || e.Contains("Failed to start the connection"));
    }

    [Fact]
    public async Task ADropLongerThanTheWindowRedrawsFromTheSnapshotAndRereadsTheSaleThatEndedMeanwhile()
    {
        // A server of its own that keeps only its last 3 events: the drop below outlasts the window, so the page's
        // ResumeRoom is answered with a snapshot, which lists the active sales only. The sale that sold out meanwhile
        // is not in it, and its FlashSaleEnded left the window: the page must read the sale to show how it ended.
        var faults = new ConnectionFaults();
        await using var server = await LiveServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Rooms:RetainedEvents"] = "3",
                ["Rooms:RetainedFor"] = "00:00:00",
                ["Rooms:MaxRetainedEvents"] = "3",
            },
            faults.AddTo);
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(server, $"host-{id}");
        var product = await scenario.CreateProductAsync(name: "Running Shoes", brand: "Li-Ning", price: 499.00m);
        var room = await scenario.CreateRoomAsync();
        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 3, perUserLimit: 3);
        var userId = $"ivy-{id}";
        await using var viewer = await fixture.OpenAsync(ViewerPage.Phone, isMobile: true, server);
        var page = viewer.Page;
        await page.GotoAsync("/");
        await viewer.SignInAsync(userId, "Ivy");
        await viewer.JoinFromListAsync(room.Id, room.Title);
        var card = page.Locator($"[data-testid=sale-card][data-sale-id='{sale.Id}']");
        await Expect(card.GetByTestId("sale-remaining")).ToHaveTextAsync("3 of 3 left", new() { Timeout = 10_000 });

        // Three chatters: each user's chat is rate-limited (a burst of 5), and one sends before the drop.
        await using var first = await server.ConnectClientAsync(server.Token($"c0-{id}", "viewer", "C0"));
        await using var second = await server.ConnectClientAsync(server.Token($"c1-{id}", "viewer", "C1"));
        await using var third = await server.ConnectClientAsync(server.Token($"c2-{id}", "viewer", "C2"));
        LiveRoom[] chatters = [await first.JoinRoomAsync(room.Id), await second.JoinRoomAsync(room.Id)];
        var before = (await (await third.JoinRoomAsync(room.Id)).SendChatAsync("before the drop")).Id;
        await using var buyer = await server.ConnectClientAsync(server.Token($"buyer-{id}", "viewer", "Buyer"));
        await Expect(page.Locator($"[data-message-id='{before}']")).ToHaveCountAsync(1, new() { Timeout = 10_000 });

        var away = new List<string>();
        faults.Block();
        try
        {
            Assert.Equal(1, await faults.DropAsync(userId));
            await Expect(viewer.ById("connection-banner")).ToHaveAttributeAsync("data-state", "reconnecting", new() { Timeout = 10_000 });
            Assert.Equal("confirmed", (await buyer.BuyNowAsync(sale.Id, 3)).Status);
            for (var n = 0; n < 10; n++)
            {
                away.Add((await chatters[n % 2].SendChatAsync($"while away {n}")).Id);
            }
        }
        finally
        {
            faults.Unblock();
        }

        await Expect(viewer.ById("connection-banner")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20_000 });

        // Redrawn from the snapshot: the chat is the snapshot's recent chat (all 11 lines, in order, once each).
        var shown = page.Locator("[data-testid=chat-message]");
        await Expect(page.Locator($"[data-message-id='{away[^1]}']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var lines = await shown.EvaluateAllAsync<string[]>("lines => lines.map(l => l.dataset.messageId)");
        Assert.Equal([before, .. away], lines);

        // The card shows the sale as the server has it: sold out, nothing left. Without the read it stays "ended" with
        // the 3 units it last saw.
        await Expect(card).ToHaveAttributeAsync("data-status", "soldOut", new() { Timeout = 10_000 });
        await Expect(card.GetByTestId("sale-remaining")).ToHaveTextAsync("0 of 3 left");
        await Expect(card.GetByTestId("sale-countdown")).ToHaveTextAsync("Sold out");

        viewer.AssertNoErrors(e => e.Contains("503") || e.Contains("WebSocket closed") || e.Contains("Connection disconnected")
            || e.Contains("Failed to complete negotiation") || e.Contains("Failed to start the connection"));
    }
}
