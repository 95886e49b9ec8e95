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
}
