using System.Text.RegularExpressions;
using Live.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Live.Web.Tests.Viewer;

/// <summary>Issue 10, item 12: the sale countdown runs on the server's clock (serverTime), not the phone's.</summary>
[Collection(WebCollection.Name)]
public sealed partial class ServerClockTests(WebFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Theory]
    [InlineData(60)]
    [InlineData(-60)]
    public async Task AViewerWhoseClockIsWrongSeesTheSalesRealRemainingTime(int skewMinutes)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        var early = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 5, perUserLimit: 1, durationSeconds: 600);
        await using var viewer = await fixture.OpenAsync(ViewerPage.Phone, isMobile: true);
        await viewer.SkewClockAsync(TimeSpan.FromMinutes(skewMinutes));

        await viewer.Page.GotoAsync("/");
        await viewer.SignInAsync($"skewed-{id}", "Skewed");
        await viewer.JoinFromListAsync(room.Id, room.Title);

        // One sale drawn from the snapshot, one from FlashSaleStarted: each ends ten minutes from now on the server's
        // clock, which a page counting on its own clock would show as over (clock ahead) or 70 minutes away (behind).
        var late = await scenario.StartSaleAsync(room.Id, (await scenario.CreateProductAsync(name: "Eyeshadow Palette")).Id, quantity: 5, perUserLimit: 1, durationSeconds: 600);
        foreach (var sale in new[] { early, late })
        {
            var card = viewer.Page.Locator($"[data-testid=sale-card][data-sale-id='{sale.Id}']");
            await Expect(card.GetByTestId("sale-countdown")).ToHaveTextAsync(AboutTenMinutes(), new() { Timeout = 10_000 });
            await Expect(card.GetByTestId("buy-button")).ToBeEnabledAsync();
        }

        viewer.AssertNoErrors();
    }

    /// <summary>"Ends in 9:xx" or "Ends in 10:00": what is left of ten minutes after the few seconds the test takes.</summary>
    [GeneratedRegex(@"^Ends in (9:\d\d|10:00)$")]
    private static partial Regex AboutTenMinutes();
}
