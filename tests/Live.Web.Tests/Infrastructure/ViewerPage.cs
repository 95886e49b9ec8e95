using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Live.Web.Tests.Infrastructure;

/// <summary>The web viewer in one browser context, with the steps the tests share and the page's errors recorded.</summary>
public sealed class ViewerPage : IAsyncDisposable
{
    private readonly List<string> _errors = [];

    public ViewerPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.PageError += (_, error) => _errors.Add($"page error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Add($"console error: {message.Text}");
            }
        };
    }

    public static ViewportSize Phone { get; } = new() { Width = 390, Height = 844 };

    public static ViewportSize Desktop { get; } = new() { Width = 1280, Height = 860 };

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Fails with every error the page reported (uncaught exceptions, console errors) but those <paramref name="expected"/> allows.</summary>
    public void AssertNoErrors(Func<string, bool>? expected = null)
    {
        var unexpected = _errors.Where(e => expected is null || !expected(e)).ToList();
        Assert.True(unexpected.Count == 0, $"the page reported errors:\n{string.Join("\n", unexpected)}");
    }

    /// <summary>
    /// Sets this browser's clock <paramref name="skew"/> away from the real one (<c>Date.now()</c> and <c>new Date()</c>),
    /// as on a phone whose clock is wrong; takes effect from the next navigation.
    /// </summary>
    public Task SkewClockAsync(TimeSpan skew) =>
        Context.AddInitScriptAsync($$"""
            (() => {
              const skew = {{(long)skew.TotalMilliseconds}};
              const RealDate = Date;
              class SkewedDate extends RealDate {
                constructor(...args) { if (args.length === 0) super(RealDate.now() + skew); else super(...args); }
                static now() { return RealDate.now() + skew; }
              }
              window.Date = SkewedDate;
            })();
            """);

    public ILocator ById(string testId) => Page.GetByTestId(testId);

    public async Task SignInAsync(string userId, string displayName, string role = "viewer")
    {
        await ById("user-button").ClickAsync();
        await ById("signin-user").FillAsync(userId);
        await ById("signin-name").FillAsync(displayName);
        await ById("signin-role").SelectOptionAsync(role);
        await ById("signin-submit").ClickAsync();
        await Expect(ById("user-button")).ToHaveTextAsync(displayName, new() { Timeout = 10_000 });
        await Expect(Page.Locator("body")).ToHaveAttributeAsync("data-connection", "connected", new() { Timeout = 15_000 });
    }

    /// <summary>Opens the room from the live list, as a viewer would, and waits for its snapshot to be drawn.</summary>
    public async Task JoinFromListAsync(string roomId, string title)
    {
        var item = Page.Locator($"[data-testid=room-item][data-room-id='{roomId}'] a");
        await Expect(item).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await item.ClickAsync();
        await Expect(ById("room-view")).ToHaveAttributeAsync("data-joined", "true", new() { Timeout = 15_000 });
        await Expect(ById("room-title")).ToHaveTextAsync(title);
    }

    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new() { Path = Path.Combine(WebFixture.ScreenshotDir, $"{name}.png"), FullPage = true });

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
