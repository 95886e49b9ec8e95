using Microsoft.Playwright;

namespace Live.Web.Tests.Infrastructure;

/// <summary>
/// One embedded RedLive server (with the fault injector) and one headless Debian chromium, shared by the browser
/// tests; each test opens its own browser context (fresh storage) and makes its own rooms and users.
/// </summary>
public sealed class WebFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium; Playwright's own browser download cannot work on this network.</summary>
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("REDLIVE_CHROMIUM") ?? "/usr/bin/chromium";

    // The flags the machine needs: no background traffic to Google (refused on this closed network), no GPU, no sandbox as root.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private LiveServer? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public ConnectionFaults Faults { get; } = new();

    public LiveServer Server => _server ?? throw new InvalidOperationException("server not started");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("browser not started");

    public static string ScreenshotDir { get; } = Path.Combine(Repo.Root, "artifacts", "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            // Fail, never skip: a browser suite that silently runs nothing proves nothing.
            throw new InvalidOperationException(
                $"chromium not found at {ChromiumPath}: install it with `apt-get install -y chromium` (scripts/test.sh does) or set REDLIVE_CHROMIUM");
        }

        Directory.CreateDirectory(ScreenshotDir);
        _server = await LiveServer.StartAsync(configure: Faults.AddTo);
        _playwright = await Playwright.CreateAsync();

        // Playwright gives every launch a new empty profile (--user-data-dir of its own), as the machine notes ask.
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 30_000,
        });
    }

    /// <summary>
    /// A fresh context (no storage) at a phone's or a desktop's size, with page errors recorded, on the shared server or
    /// on <paramref name="server"/> (a test's own, configured otherwise).
    /// </summary>
    public async Task<ViewerPage> OpenAsync(ViewportSize viewport, bool isMobile, LiveServer? server = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (server ?? Server).BaseUri.ToString(),
            ViewportSize = viewport,
            IsMobile = isMobile,
            HasTouch = isMobile,
            DeviceScaleFactor = isMobile ? 2 : 1,
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new ViewerPage(context, page);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
