using System.Net.Http.Json;
using Live.Contracts.Carts;
using Live.Contracts.Orders;
using Live.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Live.Web.Tests.Viewer;

/// <summary>The web viewer in headless chromium against a real embedded RedLive: what a viewer sees and does.</summary>
[Collection(WebCollection.Name)]
public sealed class WebViewerTests(WebFixture fixture)
{
    private const string Hostile = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\"> nice lipstick!";
    private static readonly LocatorAssertionsToHaveTextOptions Eventually = new() { Timeout = 10_000 };

    private LiveServer Server => fixture.Server;

    [Fact]
    public async Task ViewerOnAPhoneSeesThePinnedProductAndOtherViewersChatAsText()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        await scenario.LicenseAsync("Perfect Diary");
        var product = await scenario.CreateProductAsync(name: "Rose Lip Balm", brand: "Perfect Diary", price: 129.00m);
        var room = await scenario.CreateRoomAsync();
        await using var viewer = await fixture.OpenAsync(ViewerPage.Phone, isMobile: true);
        var page = viewer.Page;

        await page.GotoAsync("/");
        await viewer.SignInAsync($"amy-{id}", "Amy");
        await Expect(page.Locator($"[data-testid=room-item][data-room-id='{room.Id}']")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await viewer.ScreenshotAsync("phone-rooms");
        await viewer.JoinFromListAsync(room.Id, room.Title);
        await viewer.ScreenshotAsync("phone-room-joined");

        (await scenario.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id })).EnsureSuccessStatusCode();
        await Expect(viewer.ById("pinned-product")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(viewer.ById("pinned-name")).ToHaveTextAsync("Rose Lip Balm", Eventually);
        await Expect(viewer.ById("pinned-brand")).ToHaveTextAsync("Perfect Diary");
        await Expect(viewer.ById("pinned-price")).ToContainTextAsync("129.00");
        await Expect(viewer.ById("pinned-verified")).ToBeVisibleAsync();

        // The operator revokes the licence: the room re-sends ProductPinned and the badge goes from the pin shown.
        (await scenario.Operator.DeleteAsync($"/api/sellers/host-{id}/brands/perfect%20diary")).EnsureSuccessStatusCode();
        await Expect(viewer.ById("pinned-verified")).ToBeHiddenAsync(new() { Timeout = 10_000 });
        await Expect(viewer.ById("pinned-name")).ToHaveTextAsync("Rose Lip Balm");

        await using var bob = await Server.ConnectClientAsync(Server.Token($"bob-{id}", "viewer", "Bob"));
        var bobsRoom = await bob.JoinRoomAsync(room.Id);
        var hostile = await bobsRoom.SendChatAsync(Hostile);

        var bobsLine = page.Locator($"[data-testid=chat-message][data-user-id='bob-{id}']");
        await Expect(bobsLine.Locator(".chat-text")).ToHaveTextAsync(Hostile, Eventually);
        await Expect(bobsLine.Locator(".chat-name")).ToHaveTextAsync("Bob");
        Assert.Equal(0, await page.Locator("#chat-list script, #chat-list img").CountAsync());
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__xss"));

        // The host deletes it; every viewer's page drops it (ChatDeleted).
        (await scenario.Host.DeleteAsync($"/api/rooms/{room.Id}/chat/{hostile.Id}")).EnsureSuccessStatusCode();
        await Expect(page.Locator($"[data-message-id='{hostile.Id}']")).ToHaveCountAsync(0, new() { Timeout = 10_000 });

        await viewer.ById("chat-input").FillAsync("Does it come in coral?");
        await viewer.ById("chat-send").ClickAsync();
        await Expect(page.Locator($"[data-testid=chat-message][data-user-id='amy-{id}'] .chat-text")).ToHaveTextAsync("Does it come in coral?", Eventually);
        await Expect(viewer.ById("chat-input")).ToHaveValueAsync("");

        await viewer.ById("like-button").ClickAsync();
        await Expect(viewer.ById("like-count")).ToHaveTextAsync("1", Eventually);
        await bobsRoom.LikeAsync(4);
        await Expect(viewer.ById("like-count")).ToHaveTextAsync("5", Eventually);
        await Expect(viewer.ById("viewer-count")).ToHaveTextAsync("2", Eventually);

        await viewer.ScreenshotAsync("phone-room-pinned-chat");
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__xss"));
        viewer.AssertNoErrors();
    }

    [Fact]
    public async Task ViewerOnADesktopBuysInAFlashSaleThenChecksOutTheCart()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var balm = await scenario.CreateProductAsync(name: "Rose Lip Balm", brand: "Perfect Diary", price: 129.00m);
        var palette = await scenario.CreateProductAsync(name: "Eyeshadow Palette", brand: "Florasis", price: 219.00m);
        var room = await scenario.CreateRoomAsync();
        (await scenario.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = palette.Id })).EnsureSuccessStatusCode();
        var userId = $"cleo-{id}";
        await using var viewer = await fixture.OpenAsync(ViewerPage.Desktop, isMobile: false);
        var page = viewer.Page;

        await page.GotoAsync("/");
        await viewer.SignInAsync(userId, "Cleo");
        await Expect(page.Locator($"[data-testid=room-item][data-room-id='{room.Id}']")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await viewer.ScreenshotAsync("desktop-rooms");
        await viewer.JoinFromListAsync(room.Id, room.Title);
        await Expect(viewer.ById("pinned-name")).ToHaveTextAsync("Eyeshadow Palette", Eventually);

        var sale = await scenario.StartSaleAsync(room.Id, balm.Id, quantity: 5, perUserLimit: 1, price: 59.90m);
        var card = page.Locator($"[data-testid=sale-card][data-sale-id='{sale.Id}']");
        await Expect(card).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(card.GetByTestId("sale-remaining")).ToHaveTextAsync("5 of 5 left");
        await Expect(card.GetByTestId("sale-price")).ToContainTextAsync("59.90");
        await Expect(card.GetByTestId("sale-countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Ends in \d+:\d\d$"));

        await card.GetByTestId("buy-button").ClickAsync();
        var outcome = card.GetByTestId("buy-outcome");
        await Expect(outcome).ToHaveAttributeAsync("data-status", "confirmed", new() { Timeout = 10_000 });
        var orders = await Server.Client(Server.Token(userId, "viewer", "Cleo")).GetFromJsonAsync<List<Order>>("/api/orders");
        var saleOrder = Assert.Single(orders!);
        Assert.Equal(sale.Id, saleOrder.SaleId);
        await Expect(outcome).ToHaveTextAsync($"Confirmed! Order {saleOrder.Id}");
        // The buy's own answer carries the order (BuyNowWithOrder), which the page confirms.
        await Expect(viewer.ById("toast")).ToContainTextAsync($"Order {saleOrder.Id} confirmed", new() { Timeout = 10_000 });
        await Expect(viewer.ById("toast")).ToContainTextAsync("59.90");
        await Expect(card.GetByTestId("sale-remaining")).ToHaveTextAsync("4 of 5 left", Eventually);
        await Expect(card.GetByTestId("sale-bar")).ToHaveAttributeAsync("aria-valuenow", "4");

        // Another buyer: the bar moves from FlashSaleUpdated alone, and the ticker names them.
        await using var dan = await Server.ConnectClientAsync(Server.Token($"dan-{id}", "viewer", "Dan"));
        Assert.Equal("confirmed", (await dan.BuyNowAsync(sale.Id, 1)).Status);
        await Expect(card.GetByTestId("sale-remaining")).ToHaveTextAsync("3 of 5 left", Eventually);
        await Expect(card.GetByTestId("sale-buyers")).ToContainTextAsync("Dan", new() { Timeout = 10_000 });

        await card.GetByTestId("buy-button").ClickAsync();
        await Expect(outcome).ToHaveAttributeAsync("data-status", "limitExceeded", new() { Timeout = 10_000 });
        await Expect(outcome).ToHaveTextAsync("Limit reached: at most 1 per person");
        await viewer.ScreenshotAsync("desktop-flash-sale");

        await viewer.ById("add-to-cart").ClickAsync();
        await Expect(viewer.ById("cart-count")).ToHaveTextAsync("1", Eventually);
        await viewer.ById("cart-button").ClickAsync();
        await Expect(viewer.ById("cart-drawer")).ToBeVisibleAsync();
        var cartLine = page.Locator($"[data-testid=cart-item][data-product-id='{palette.Id}']");
        await Expect(cartLine).ToContainTextAsync("Eyeshadow Palette", new() { Timeout = 10_000 });
        await Expect(viewer.ById("cart-total")).ToContainTextAsync("219.00");
        await Expect(page.GetByTestId("order-item")).ToHaveCountAsync(1, new() { Timeout = 10_000 });

        await viewer.ById("checkout-button").ClickAsync();
        await Expect(viewer.ById("checkout-outcome")).ToHaveAttributeAsync("data-status", "confirmed", new() { Timeout = 10_000 });
        var cartOrderId = await viewer.ById("checkout-outcome").GetAttributeAsync("data-order-id");
        await Expect(page.GetByTestId("order-item")).ToHaveCountAsync(2, new() { Timeout = 10_000 });
        await Expect(page.Locator($"[data-testid=order-item][data-order-id='{cartOrderId}']")).ToContainTextAsync("219.00");
        await Expect(viewer.ById("cart-count")).ToHaveTextAsync("0");
        await viewer.ScreenshotAsync("desktop-cart-checkout");

        // The host ends the sale: the card says so and no longer sells.
        (await scenario.Host.PostAsync($"/api/flash-sales/{sale.Id}/end", null)).EnsureSuccessStatusCode();
        await Expect(card).ToHaveAttributeAsync("data-status", "ended", new() { Timeout = 10_000 });
        await Expect(card.GetByTestId("sale-countdown")).ToHaveTextAsync("Ended");
        await Expect(card.GetByTestId("buy-button")).ToBeDisabledAsync();

        orders = await Server.Client(Server.Token(userId, "viewer", "Cleo")).GetFromJsonAsync<List<Order>>("/api/orders");
        Assert.Equal(2, orders!.Count);
        Assert.Contains(orders, o => o.Id == cartOrderId && o.SaleId is null && o.Total == 219.00m);
        viewer.AssertNoErrors();
    }

    [Fact]
    public async Task ViewerOnAPhoneSeesTheDropAndTheRoomRedrawnAfterReconnecting()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var product = await scenario.CreateProductAsync(name: "Running Shoes", brand: "Li-Ning", price: 499.00m);
        var room = await scenario.CreateRoomAsync();
        var userId = $"eve-{id}";
        await using var viewer = await fixture.OpenAsync(ViewerPage.Phone, isMobile: true);
        var page = viewer.Page;
        await page.GotoAsync("/");
        await viewer.SignInAsync(userId, "Eve");
        await viewer.JoinFromListAsync(room.Id, room.Title);
        await using var bob = await Server.ConnectClientAsync(Server.Token($"bob-{id}", "viewer", "Bob"));
        var bobsRoom = await bob.JoinRoomAsync(room.Id);

        // The real thing, server side: the viewer's socket is aborted and every reconnect attempt is refused (503)
        // until the outage ends, so the page must go through SignalR's reconnect loop, not a lucky first retry.
        fixture.Faults.Block();
        try
        {
            Assert.Equal(1, await fixture.Faults.DropAsync(userId));
            await Expect(viewer.ById("connection-banner")).ToBeVisibleAsync(new() { Timeout = 10_000 });
            await Expect(viewer.ById("connection-banner")).ToHaveAttributeAsync("data-state", "reconnecting");
            await Expect(viewer.ById("connection-banner")).ToContainTextAsync("reconnecting");

            // What happens while the viewer is away reaches them only through the re-join's snapshot.
            (await scenario.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id })).EnsureSuccessStatusCode();
            await bobsRoom.SendChatAsync("you missed the pin");
            await viewer.ScreenshotAsync("phone-reconnecting");
            await Expect(viewer.ById("pinned-product")).ToBeHiddenAsync();
        }
        finally
        {
            fixture.Faults.Unblock();
        }

        await Expect(viewer.ById("connection-banner")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
        await Expect(viewer.ById("pinned-name")).ToHaveTextAsync("Running Shoes", Eventually);
        await Expect(page.Locator($"[data-testid=chat-message][data-user-id='bob-{id}'] .chat-text")).ToHaveTextAsync("you missed the pin", Eventually);
        await viewer.ScreenshotAsync("phone-reconnected");

        // Re-joined for real: live events flow again, and the viewer's own calls work on the new connection.
        await bobsRoom.SendChatAsync("welcome back");
        await Expect(page.Locator($"[data-testid=chat-message][data-user-id='bob-{id}'] .chat-text").Last).ToHaveTextAsync("welcome back", Eventually);
        await viewer.ById("chat-input").FillAsync("thanks!");
        await viewer.ById("chat-send").ClickAsync();
        await Expect(page.Locator($"[data-testid=chat-message][data-user-id='{userId}'] .chat-text")).ToHaveTextAsync("thanks!", Eventually);
        await Expect(viewer.ById("connection-banner")).ToBeHiddenAsync(new() { Timeout = 10_000 });

        // An add to cart whose answer is lost with the connection (the add was made): the page says so, and the next tap
        // sends the same idempotency key again (AddToCartWithKey), which the server adds once.
        fixture.Faults.LoseNextAnswer(userId, "AddToCartWithKey");
        await viewer.ById("add-to-cart").ClickAsync();
        await Expect(viewer.ById("toast")).ToContainTextAsync("Connection problem", new() { Timeout = 10_000 });
        await Expect(viewer.ById("connection-banner")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15_000 });
        await viewer.ById("add-to-cart").ClickAsync();
        await Expect(viewer.ById("toast")).ToContainTextAsync("Added to cart", new() { Timeout = 10_000 });
        await Expect(viewer.ById("cart-count")).ToHaveTextAsync("1");
        Assert.Equal(2, fixture.Faults.Invocations(userId, "AddToCartWithKey"));
        var cart = await Server.Client(Server.Token(userId, "viewer", "Eve")).GetFromJsonAsync<Cart>("/api/cart");
        Assert.Equal(1, Assert.Single(cart!.Items).Quantity);

        // The drop itself is reported by SignalR and the refused attempts by the browser: nothing else may fail.
        viewer.AssertNoErrors(e => e.Contains("503") || e.Contains("WebSocket closed") || e.Contains("Connection disconnected")
            || e.Contains("Failed to complete negotiation") || e.Contains("Failed to start the connection"));
    }

    [Fact]
    public async Task ViewerWhoseTokenIsRefusedIsSignedOutAndKeepsWatching()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var room = await new HostScenario(Server, $"host-{id}").CreateRoomAsync();
        await using var viewer = await fixture.OpenAsync(ViewerPage.Phone, isMobile: true);
        var page = viewer.Page;

        // A session saved by an earlier visit whose token this server does not take (expired, or signed with another key).
        await page.Context.AddInitScriptAsync(
            "localStorage.setItem('redlive.session', JSON.stringify({ token: 'not-a-valid-token', userId: 'ghost', displayName: 'Ghost', role: 'viewer' }))");
        await page.GotoAsync("/");

        await Expect(viewer.ById("toast")).ToContainTextAsync("session has expired", new() { Timeout = 10_000 });
        await Expect(viewer.ById("user-button")).ToHaveTextAsync("Sign in");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-connection", "connected", new() { Timeout = 15_000 });
        await viewer.JoinFromListAsync(room.Id, room.Title);
        // Allowed: the refused requests themselves, and SignalR's log that the start abandoned for the new connection stopped.
        viewer.AssertNoErrors(e => e.Contains("401") || e.Contains("The connection was stopped during negotiation")
            || e.Contains("Failed to start the HttpConnection before stop() was called"));
    }
}
