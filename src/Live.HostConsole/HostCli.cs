using System.CommandLine;
using System.Globalization;
using Live.Client.Models;
using Spectre.Console;

namespace Live.HostConsole;

/// <summary>
/// The host console's commands. Output goes to the writers given (the console, or a test's), so the same entry point
/// serves <c>dotnet run</c> and in-process tests. Exit codes: 0 done, 1 refused by the server or unreachable,
/// 2 a usage problem found before any call (no token, say), 3 <c>sales audit</c> found the sale inconsistent
/// (<see cref="InconsistentAudit"/>); System.CommandLine's own parse errors are 1.
/// </summary>
public sealed class HostCli
{
    public const string DefaultServer = "http://127.0.0.1:5080";
    public const string TokenVariable = "REDLIVE_TOKEN";
    public const string ServerVariable = "REDLIVE_SERVER";

    /// <summary>
    /// The exit code of an audit that answered but found the sale inconsistent (oversold, a buyer over the limit, a
    /// confirmation without its order). Not 0, so that a script or a scheduled check stops on it; not 1, so that it can
    /// tell "the sale is wrong" from "the server could not be asked".
    /// </summary>
    public const int InconsistentAudit = 3;

    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly IAnsiConsole _console;
    private readonly Func<string, string?> _environment;

    private readonly Option<string> _server = new("--server")
    {
        Description = $"RedLive server URL (default ${ServerVariable} or {DefaultServer})",
        Recursive = true,
    };

    private readonly Option<string> _token = new("--token")
    {
        Description = $"Bearer token of the host (default ${TokenVariable}); get one with the token command",
        Recursive = true,
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "Print the server's JSON answer instead of a summary",
        Recursive = true,
    };

    public HostCli(TextWriter output, TextWriter error, IAnsiConsole console, Func<string, string?>? environment = null)
    {
        _out = output;
        _error = error;
        _console = console;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>Runs one command line; answers the process exit code.</summary>
    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var root = BuildCommand();
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = _out, Error = _error }, cancellationToken);
    }

    public static async Task<int> Main(string[] args) =>
        await new HostCli(Console.Out, Console.Error, AnsiConsole.Console).RunAsync(args);

    private RootCommand BuildCommand()
    {
        var root = new RootCommand("RedLive host console: products, rooms, pins, flash sales and a live dashboard.");
        root.Options.Add(_server);
        root.Options.Add(_token);
        root.Options.Add(_json);
        root.Subcommands.Add(TokenCommand());
        root.Subcommands.Add(ProductsCommand());
        root.Subcommands.Add(RoomsCommand());
        root.Subcommands.Add(PinCommand());
        root.Subcommands.Add(UnpinCommand());
        root.Subcommands.Add(SalesCommand());
        root.Subcommands.Add(SellersCommand());
        root.Subcommands.Add(DashboardCommand());
        return root;
    }

    // ---- commands ----------------------------------------------------------------------------------------------

    private Command TokenCommand()
    {
        var user = new Option<string>("--user") { Description = "User id", Required = true };
        var name = new Option<string>("--name") { Description = "Display name (default: the user id)" };
        var role = new Option<string>("--role") { Description = "viewer, host, moderator or operator", DefaultValueFactory = _ => "host" };
        role.AcceptOnlyFromAmong("viewer", "host", "moderator", "operator");
        var command = new Command("token", "Get a development token (embedded mode only); prints the token alone, for REDLIVE_TOKEN.")
        {
            user, name, role,
        };
        command.SetAction((parse, ct) => CallAsync(parse, needsToken: false, async api =>
        {
            var userId = parse.GetValue(user)!;
            try
            {
                var (answer, body) = await api.SendAsync<TokenResponse>(HttpMethod.Post, "/api/dev/token",
                    new { userId, displayName = parse.GetValue(name) ?? userId, role = parse.GetValue(role) }, ct);
                Print(parse, body, answer.Token);
            }
            catch (RedLiveApiException ex) when (ex.Status == 404 && ex.Code == "http_404")
            {
                throw new RedLiveApiException("not_found", "this server issues no development tokens (Auth:DevTokens is off): get a token from your issuer", 404);
            }
        }));
        return command;
    }

    private Command ProductsCommand()
    {
        var name = new Option<string>("--name") { Description = "Product name", Required = true };
        var brand = new Option<string>("--brand") { Description = "Brand (the verified badge when an operator licensed you for it)", Required = true };
        var price = new Option<decimal>("--price") { Description = "Regular price", Required = true };
        var currency = new Option<string>("--currency") { Description = "ISO 4217 code (server default CNY)" };
        var image = new Option<string>("--image-url") { Description = "Image URL" };
        var stock = new Option<int?>("--stock") { Description = "Regular stock (untracked when left out)" };
        var tags = new Option<string[]>("--tag") { Description = "A tag; repeat for more", AllowMultipleArgumentsPerToken = false };
        var create = new Command("create", "Create a product.") { name, brand, price, currency, image, stock, tags };
        create.SetAction((parse, ct) => CallAsync(parse, needsToken: true, async api =>
        {
            var (product, body) = await api.SendAsync<Product>(HttpMethod.Post, "/api/products", new
            {
                name = parse.GetValue(name),
                brand = parse.GetValue(brand),
                price = parse.GetValue(price),
                currency = parse.GetValue(currency),
                imageUrl = parse.GetValue(image),
                stock = parse.GetValue(stock),
                tags = parse.GetValue(tags) ?? [],
            }, ct);
            Print(parse, body, $"{product.Id}  {product.Brand} {product.Name}  {Money(product.Price, product.Currency)}{(product.Verified ? "  verified seller" : "")}");
        }));

        var id = new Argument<string>("productId") { Description = "Product id" };
        var show = new Command("show", "Show a product.") { id };
        show.SetAction((parse, ct) => CallAsync(parse, needsToken: false, async api =>
        {
            var (product, body) = await api.SendAsync<Product>(HttpMethod.Get, $"/api/products/{Uri.EscapeDataString(parse.GetValue(id)!)}", null, ct);
            Print(parse, body, $"{product.Id}  {product.Brand} {product.Name}  {Money(product.Price, product.Currency)}  stock {product.Stock?.ToString(CultureInfo.InvariantCulture) ?? "untracked"}");
        }));
        return new Command("products", "Products of the catalogue.") { create, show };
    }

    private Command RoomsCommand()
    {
        var status = new Option<string>("--status") { Description = "scheduled, live or ended (default: every room)" };
        var list = new Command("list", "List rooms.") { status };
        list.SetAction((parse, ct) => CallAsync(parse, needsToken: false, async api =>
        {
            var filter = parse.GetValue(status);
            var path = filter is null ? "/api/rooms" : $"/api/rooms?status={Uri.EscapeDataString(filter)}";
            var (rooms, body) = await api.SendAsync<List<Room>>(HttpMethod.Get, path, null, ct);
            if (parse.GetValue(_json))
            {
                _out.WriteLine(body);
                return;
            }

            if (rooms.Count == 0)
            {
                _out.WriteLine("no rooms");
            }

            foreach (var room in rooms)
            {
                _out.WriteLine($"{room.Id}  {room.Status,-9}  {room.Title}  (host {room.HostId})");
            }
        }));

        var title = new Option<string>("--title") { Description = "Room title", Required = true };
        var description = new Option<string>("--description") { Description = "Room description" };
        var start = new Option<bool>("--start") { Description = "Go live at once" };
        var create = new Command("create", "Create a room (scheduled, or live with --start).") { title, description, start };
        create.SetAction((parse, ct) => CallAsync(parse, needsToken: true, async api =>
        {
            var (room, body) = await api.SendAsync<Room>(HttpMethod.Post, "/api/rooms",
                new { title = parse.GetValue(title), description = parse.GetValue(description) }, ct);
            if (parse.GetValue(start))
            {
                (room, body) = await api.SendAsync<Room>(HttpMethod.Post, $"/api/rooms/{Uri.EscapeDataString(room.Id)}/start", null, ct);
            }

            Print(parse, body, $"{room.Id}  {room.Status}  {room.Title}");
        }));

        return new Command("rooms", "Live rooms.")
        {
            list,
            create,
            RoomAction("start", "Go live.", "start"),
            RoomAction("end", "End the stream (open sales end too).", "end"),
            RoomShow(),
        };
    }

    private Command RoomAction(string name, string description, string verb)
    {
        var roomId = new Argument<string>("roomId") { Description = "Room id" };
        var command = new Command(name, description) { roomId };
        command.SetAction((parse, ct) => CallAsync(parse, needsToken: true, async api =>
        {
            var (room, body) = await api.SendAsync<Room>(HttpMethod.Post, $"/api/rooms/{Uri.EscapeDataString(parse.GetValue(roomId)!)}/{verb}", null, ct);
            Print(parse, body, $"{room.Id}  {room.Status}  {room.Title}");
        }));
        return command;
    }

    private Command RoomShow()
    {
        var roomId = new Argument<string>("roomId") { Description = "Room id" };
        var command = new Command("show", "Show a room's snapshot.") { roomId };
        command.SetAction((parse, ct) => CallAsync(parse, needsToken: false, async api =>
        {
            var (snapshot, body) = await api.SendAsync<RoomSnapshot>(HttpMethod.Get, $"/api/rooms/{Uri.EscapeDataString(parse.GetValue(roomId)!)}", null, ct);
            Print(parse, body, $"{snapshot.Room.Id}  {snapshot.Room.Status}  {snapshot.Room.Title}  viewers {snapshot.Viewers}  likes {snapshot.Likes}  " +
                $"pinned {snapshot.PinnedProduct?.Id ?? "-"}  active sales {snapshot.ActiveSales.Count}");
        }));
        return command;
    }

    private Command PinCommand()
    {
        var roomId = new Argument<string>("roomId") { Description = "Room id" };
        var productId = new Argument<string>("productId") { Description = "Product id" };
        var command = new Command("pin", "Pin a product in a live room.") { roomId, productId };
        command.SetAction((parse, ct) => CallAsync(parse, needsToken: true, async api =>
        {
            var (snapshot, body) = await api.SendAsync<RoomSnapshot>(HttpMethod.Post, $"/api/rooms/{Uri.EscapeDataString(parse.GetValue(roomId)!)}/pin",
                new { productId = parse.GetValue(productId) }, ct);
            Print(parse, body, $"{snapshot.Room.Id}  pinned {snapshot.PinnedProduct?.Id}  {snapshot.PinnedProduct?.Name}");
        }));
        return command;
    }

    private Command UnpinCommand()
    {
        var roomId = new Argument<string>("roomId") { Description = "Room id" };
        var command = new Command("unpin", "Unpin the room's product.") { roomId };
        command.SetAction((parse, ct) => CallAsync(parse, needsToken: true, async api =>
        {
            var (snapshot, body) = await api.SendAsync<RoomSnapshot>(HttpMethod.Delete, $"/api/rooms/{Uri.EscapeDataString(parse.GetValue(roomId)!)}/pin", null, ct);
            Print(parse, body, $"{snapshot.Room.Id}  nothing pinned");
        }));
        return command;
    }

    private Command SalesCommand()
    {
        var roomId = new Argument<string>("roomId") { Description = "Room id (live)" };
        var product = new Option<string>("--product") { Description = "Product id", Required = true };
        var price = new Option<decimal>("--price") { Description = "Sale price", Required = true };
        var quantity = new Option<int>("--quantity") { Description = "Units for sale", Required = true };
        var limit = new Option<int>("--limit") { Description = "Units one user may buy", DefaultValueFactory = _ => 1 };
        var duration = new Option<int>("--duration") { Description = "Seconds the sale lasts", DefaultValueFactory = _ => 300 };
        var start = new Command("start", "Start a flash sale in a live room.") { roomId, product, price, quantity, limit, duration };
        start.SetAction((parse, ct) => CallAsync(parse, needsToken: true, async api =>
        {
            var (sale, body) = await api.SendAsync<FlashSale>(HttpMethod.Post, $"/api/rooms/{Uri.EscapeDataString(parse.GetValue(roomId)!)}/flash-sales", new
            {
                productId = parse.GetValue(product),
                price = parse.GetValue(price),
                quantity = parse.GetValue(quantity),
                perUserLimit = parse.GetValue(limit),
                durationSeconds = parse.GetValue(duration),
            }, ct);
            Print(parse, body, SaleLine(sale));
        }));

        var saleId = new Argument<string>("saleId") { Description = "Sale id" };
        var end = new Command("end", "End a flash sale (unsold units go back to stock).") { saleId };
        end.SetAction((parse, ct) => CallAsync(parse, needsToken: true, async api =>
        {
            var (sale, body) = await api.SendAsync<FlashSale>(HttpMethod.Post, $"/api/flash-sales/{Uri.EscapeDataString(parse.GetValue(saleId)!)}/end", null, ct);
            Print(parse, body, SaleLine(sale));
        }));

        var showId = new Argument<string>("saleId") { Description = "Sale id" };
        var show = new Command("show", "Show a flash sale.") { showId };
        show.SetAction((parse, ct) => CallAsync(parse, needsToken: false, async api =>
        {
            var (sale, body) = await api.SendAsync<FlashSale>(HttpMethod.Get, $"/api/flash-sales/{Uri.EscapeDataString(parse.GetValue(showId)!)}", null, ct);
            Print(parse, body, SaleLine(sale));
        }));
        var auditId = new Argument<string>("saleId") { Description = "Sale id" };
        var audit = new Command("audit", "Replay a sale's ledger and check it against the buyers' order books (the room's host).") { auditId };
        audit.SetAction((parse, ct) => CallAsync(parse, needsToken: true, async api =>
        {
            var (result, body) = await api.SendAsync<SaleAudit>(HttpMethod.Get, $"/api/flash-sales/{Uri.EscapeDataString(parse.GetValue(auditId)!)}/audit", null, ct);
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"{result.SaleId}  {(result.Consistent ? "consistent" : "INCONSISTENT")}  quantity {result.Quantity}  confirmed {result.Confirmed}  remaining {result.Remaining}  orders {result.Orders}  decisions {result.Decisions}");
            Print(parse, body, string.Join(Environment.NewLine, result.Problems.Select(p => "  " + p).Prepend(line)));
            return result.Consistent ? 0 : InconsistentAudit;
        }));

        var ledgerId = new Argument<string>("saleId") { Description = "Sale id" };
        var after = new Option<long>("--after") { Description = "List the entries after this position", DefaultValueFactory = _ => 0 };
        var count = new Option<int>("--limit") { Description = "At most this many entries (1 to 1000)", DefaultValueFactory = _ => 100 };
        var ledger = new Command("ledger", "List a sale's ledger: every decision in order (the room's host).") { ledgerId, after, count };
        ledger.SetAction((parse, ct) => CallAsync(parse, needsToken: true, async api =>
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"/api/flash-sales/{Uri.EscapeDataString(parse.GetValue(ledgerId)!)}/ledger?after={parse.GetValue(after)}&limit={parse.GetValue(count)}");
            var (page, body) = await api.SendAsync<SaleLedgerPage>(HttpMethod.Get, path, null, ct);
            var lines = page.Entries.Select(LedgerLine);
            Print(parse, body, string.Join(Environment.NewLine, page.Next is { } next ? lines.Append($"(more: --after {next})") : lines));
        }));
        return new Command("sales", "Flash sales.") { start, end, show, audit, ledger };
    }

    private Command SellersCommand()
    {
        Command Licence(string name, string description, HttpMethod method)
        {
            var hostId = new Argument<string>("hostId") { Description = "The seller's host id" };
            var brand = new Argument<string>("brand") { Description = "Brand (compared ignoring case)" };
            var command = new Command(name, description) { hostId, brand };
            command.SetAction((parse, ct) => CallAsync(parse, needsToken: true, async api =>
            {
                var path = $"/api/sellers/{Uri.EscapeDataString(parse.GetValue(hostId)!)}/brands/{Uri.EscapeDataString(parse.GetValue(brand)!)}";
                var (seller, body) = await api.SendAsync<Seller>(method, path, null, ct);
                Print(parse, body, SellerLine(seller));
            }));
            return command;
        }

        var showId = new Argument<string>("hostId") { Description = "The seller's host id" };
        var show = new Command("show", "Show the brands a seller is licensed for (operator, or that host).") { showId };
        show.SetAction((parse, ct) => CallAsync(parse, needsToken: true, async api =>
        {
            var (seller, body) = await api.SendAsync<Seller>(HttpMethod.Get, $"/api/sellers/{Uri.EscapeDataString(parse.GetValue(showId)!)}", null, ct);
            Print(parse, body, SellerLine(seller));
        }));

        return new Command("sellers", "Licensed sellers: which hosts carry the verified badge for which brands (operator token).")
        {
            Licence("license", "License a seller for a brand: its products of that brand get the verified badge.", HttpMethod.Put),
            Licence("revoke", "Revoke a seller's licence for a brand: the badge goes, also from pins shown live.", HttpMethod.Delete),
            show,
        };
    }

    private Command DashboardCommand()
    {
        var roomId = new Argument<string>("roomId") { Description = "Room id" };
        var plain = new Option<bool>("--plain") { Description = "One line per event instead of the live screen (automatic when output is redirected)" };
        var command = new Command("dashboard", "Watch a room live: viewers, likes, chat, each sale's sold/remaining, GMV. Ctrl+C to quit.") { roomId, plain };
        command.SetAction(async (parse, ct) =>
        {
            var server = ServerUri(parse);
            if (server is null)
            {
                return 2;
            }

            var live = !parse.GetValue(plain) && _console.Profile.Capabilities.Interactive && _console.Profile.Capabilities.Ansi;
            var dashboard = new Dashboard(server, Token(parse), parse.GetValue(roomId)!, _out, _error, live ? _console : null);
            return await dashboard.RunAsync(ct);
        });
        return command;
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    private Task<int> CallAsync(ParseResult parse, bool needsToken, Func<RedLiveApi, Task> call) =>
        CallAsync(parse, needsToken, async api =>
        {
            await call(api);
            return 0;
        });

    /// <summary>Runs a call whose answer decides the exit code (<see cref="InconsistentAudit"/>); failures are 1 or 2 as for any call.</summary>
    private async Task<int> CallAsync(ParseResult parse, bool needsToken, Func<RedLiveApi, Task<int>> call)
    {
        var server = ServerUri(parse);
        if (server is null)
        {
            return 2;
        }

        var token = Token(parse);
        if (needsToken && string.IsNullOrEmpty(token))
        {
            _error.WriteLine($"error: this command needs a token: pass --token, set {TokenVariable}, or get one with `token --user <id>`");
            return 2;
        }

        using var api = RedLiveApi.Create(server, token);
        try
        {
            return await call(api);
        }
        catch (RedLiveApiException ex)
        {
            _error.WriteLine($"error: {ex.Code}: {ex.Detail} (HTTP {ex.Status})");
            return 1;
        }
        catch (HttpRequestException ex)
        {
            _error.WriteLine($"error: cannot reach {server}: {ex.Message}");
            return 1;
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            _error.WriteLine($"error: {server} did not answer in time");
            return 1;
        }
    }

    private Uri? ServerUri(ParseResult parse)
    {
        var text = parse.GetValue(_server) ?? _environment(ServerVariable) ?? DefaultServer;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        _error.WriteLine($"error: --server must be an http or https URL, not '{text}'");
        return null;
    }

    private string? Token(ParseResult parse)
    {
        var token = parse.GetValue(_token) ?? _environment(TokenVariable);
        return string.IsNullOrWhiteSpace(token) ? null : token.Trim();
    }

    private void Print(ParseResult parse, string json, string summary) => _out.WriteLine(parse.GetValue(_json) ? json : summary);

    internal static string Money(decimal amount, string? currency) =>
        $"{amount.ToString("0.00", CultureInfo.InvariantCulture)} {currency ?? "CNY"}";

    private static string SellerLine(Seller seller) =>
        $"{seller.HostId}  licensed: {(seller.Brands.Count == 0 ? "no brands" : string.Join(", ", seller.Brands))}";

    private static string LedgerLine(SaleLedgerEntry e) => e.Kind switch
    {
        "decided" => string.Create(CultureInfo.InvariantCulture, $"{e.Position}  {e.At:O}  decided  {e.UserId}  {e.RequestId}  x{e.Quantity}  {e.Status}  remaining {e.Remaining}{(e.OrderId is null ? "" : "  " + e.OrderId)}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{e.Position}  {e.At:O}  {e.Kind}{(e.UserId is null ? "" : "  " + e.UserId)}{(e.Status is null ? "" : "  " + e.Status)}{(e.OrderIds is null ? "" : $"  {e.OrderIds.Count} orders")}"),
    };

    private static string SaleLine(FlashSale sale) =>
        $"{sale.Id}  {sale.Status}  {sale.Product.Name}  {Money(sale.Price, sale.Product.Currency)}  " +
        $"sold {sale.Quantity - sale.Remaining}/{sale.Quantity}  remaining {sale.Remaining}  limit {sale.PerUserLimit}  ends {sale.EndsAt:u}";
}
