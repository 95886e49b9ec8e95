using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Live.HostConsole;

/// <summary>The hub's names as PROTOCOL.md gives them; the console is a client and keeps its own copy.</summary>
internal static class HubNames
{
    public const string Path = "/hubs/live";
    public const string JoinRoom = "JoinRoom";
    public const string ChatBatch = "ChatBatch";
    public const string ProductPinned = "ProductPinned";
    public const string ProductUnpinned = "ProductUnpinned";
    public const string FlashSaleStarted = "FlashSaleStarted";
    public const string FlashSaleUpdated = "FlashSaleUpdated";
    public const string FlashSaleEnded = "FlashSaleEnded";
    public const string ViewerCount = "ViewerCount";
    public const string LikesUpdated = "LikesUpdated";
    public const string StreamStarted = "StreamStarted";
    public const string StreamEnded = "StreamEnded";
}

/// <summary>
/// <c>dashboard &lt;roomId&gt;</c>: joins the room over SignalR and keeps a host's view of it current from the room's
/// events: viewers, likes, the chat's tail, each flash sale's sold and remaining, and GMV (units sold times sale
/// price, over the sales active when the dashboard joined and those started since). A live screen on a terminal;
/// one line per event when the output is redirected or with <c>--plain</c>. Reconnects on its own and redraws
/// from a fresh snapshot.
/// </summary>
internal sealed partial class Dashboard(Uri server, string? token, string roomId, TextWriter output, TextWriter error, IAnsiConsole? live)
{
    private const int ChatTail = 10;

    private readonly Lock _gate = new();
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, SaleLine> _sales = new(StringComparer.Ordinal);
    private readonly List<string> _saleOrder = [];
    private readonly Queue<ChatMessage> _chat = new();
    private Room? _room;
    private Product? _pinned;
    private long _viewers;
    private long _likes;
    private string _connection = "connecting";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, HubNames.Path), o =>
            {
                if (token is not null)
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .WithAutomaticReconnect(new ForeverRetryPolicy())
            .Build();
        Subscribe(connection);

        try
        {
            await connection.StartAsync(cancellationToken);
            Apply(await connection.InvokeAsync<RoomSnapshot>(HubNames.JoinRoom, roomId, cancellationToken));
        }
        catch (HubException ex)
        {
            error.WriteLine($"error: {HubError(ex)}");
            return 1;
        }
        catch (HttpRequestException ex)
        {
            error.WriteLine($"error: cannot reach {server}: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }

        if (live is null)
        {
            await WaitForCancellationAsync(cancellationToken);
        }
        else
        {
            await live.Live(Render()).AutoClear(false).StartAsync(async ctx =>
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    try
                    {
                        await _changed.Reader.ReadAsync(cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }

                    ctx.UpdateTarget(Render());
                    ctx.Refresh();
                }
            });
        }

        return 0;
    }

    private void Subscribe(HubConnection connection)
    {
        connection.On<List<ChatMessage>>(HubNames.ChatBatch, messages => Change(() =>
        {
            foreach (var message in messages.Where(m => m.RoomId == roomId))
            {
                _chat.Enqueue(message);
                while (_chat.Count > ChatTail)
                {
                    _chat.Dequeue();
                }

                Line($"chat {message.DisplayName}: {message.Text}");
            }
        }));
        connection.On<Product>(HubNames.ProductPinned, product => Change(() =>
        {
            _pinned = product;
            Line($"pinned {product.Id} {product.Name}");
        }));
        connection.On<RoomRef>(HubNames.ProductUnpinned, _ => Change(() =>
        {
            _pinned = null;
            Line("unpinned");
        }));
        connection.On<FlashSale>(HubNames.FlashSaleStarted, sale => Change(() =>
        {
            Track(sale);
            Line($"sale {sale.Id} started: {sale.Product.Name} {HostCli.Money(sale.Price, sale.Product.Currency)} x{sale.Quantity}");
        }));
        connection.On<FlashSaleProgress>(HubNames.FlashSaleUpdated, progress => Change(() =>
        {
            if (_sales.TryGetValue(progress.SaleId, out var line))
            {
                _sales[progress.SaleId] = line with { Sold = Math.Max(line.Sold, progress.Sold), Remaining = Math.Min(line.Remaining, progress.Remaining) };
                Line($"sale {progress.SaleId} sold {_sales[progress.SaleId].Sold}/{line.Quantity} remaining {_sales[progress.SaleId].Remaining} GMV {Gmv()}");
            }
        }));
        connection.On<FlashSale>(HubNames.FlashSaleEnded, sale => Change(() =>
        {
            Track(sale);
            Line($"sale {sale.Id} {sale.Status}: sold {sale.Quantity - sale.Remaining}/{sale.Quantity} GMV {Gmv()}");
        }));
        connection.On<ViewerCountUpdate>(HubNames.ViewerCount, update => Change(() =>
        {
            _viewers = update.Viewers;
            Line($"viewers {update.Viewers}");
        }));
        connection.On<LikesUpdate>(HubNames.LikesUpdated, update => Change(() =>
        {
            _likes = Math.Max(_likes, update.Likes);
            Line($"likes {_likes}");
        }));
        connection.On<Room>(HubNames.StreamStarted, room => Change(() =>
        {
            _room = room;
            Line($"stream {room.Status}");
        }));
        connection.On<Room>(HubNames.StreamEnded, room => Change(() =>
        {
            _room = room;
            Line($"stream {room.Status}");
        }));

        connection.Reconnecting += _ =>
        {
            Change(() =>
            {
                _connection = "reconnecting";
                Line("connection lost, reconnecting");
            });
            return Task.CompletedTask;
        };
        connection.Reconnected += async _ =>
        {
            // A new connection is in no group: join again; the snapshot covers whatever happened in between.
            Apply(await connection.InvokeAsync<RoomSnapshot>(HubNames.JoinRoom, roomId));
            Change(() => Line("reconnected"));
        };
    }

    private void Apply(RoomSnapshot snapshot) => Change(() =>
    {
        _room = snapshot.Room;
        _pinned = snapshot.PinnedProduct;
        _viewers = snapshot.Viewers;
        _likes = Math.Max(_likes, snapshot.Likes);
        _connection = "connected";
        _chat.Clear();
        foreach (var message in snapshot.RecentChat.TakeLast(ChatTail))
        {
            _chat.Enqueue(message);
        }

        foreach (var sale in snapshot.ActiveSales)
        {
            Track(sale);
        }

        Line($"room {snapshot.Room.Id} \"{snapshot.Room.Title}\" {snapshot.Room.Status}: viewers {_viewers}, likes {_likes}, " +
            $"pinned {_pinned?.Name ?? "-"}, active sales {snapshot.ActiveSales.Count}, GMV {Gmv()}");
    });

    private void Track(FlashSale sale)
    {
        if (!_sales.ContainsKey(sale.Id))
        {
            _saleOrder.Add(sale.Id);
        }

        _sales[sale.Id] = new SaleLine(sale.Id, sale.Product.Name, sale.Price, sale.Product.Currency, sale.Quantity, sale.Quantity - sale.Remaining, sale.Remaining, sale.Status);
    }

    private string Gmv() =>
        HostCli.Money(_sales.Values.Sum(s => s.Sold * s.Price), _sales.Values.FirstOrDefault()?.Currency);

    private void Change(Action change)
    {
        lock (_gate)
        {
            change();
        }

        _changed.Writer.TryWrite(true);
    }

    /// <summary>The plain mode's event line (the caller holds the lock, so lines never interleave).</summary>
    private void Line(string text)
    {
        if (live is null)
        {
            output.WriteLine(text);
            output.Flush();
        }
    }

    private IRenderable Render()
    {
        lock (_gate)
        {
            var status = _room?.Status ?? "?";
            var header = new Markup(
                $"[bold red]RedLive[/]  [bold]{Markup.Escape(_room?.Title ?? roomId)}[/]  " +
                $"[white on {(status == "live" ? "red" : "grey")}] {Markup.Escape(status.ToUpperInvariant())} [/]   " +
                $"viewers [bold]{_viewers}[/]   likes [bold]{_likes}[/]   GMV [bold green]{Markup.Escape(Gmv())}[/]   [grey]{_connection}[/]");
            var pinned = new Markup(_pinned is null
                ? "[grey]nothing pinned[/]"
                : $"pinned: [bold]{Markup.Escape(_pinned.Brand)} {Markup.Escape(_pinned.Name)}[/] {Markup.Escape(HostCli.Money(_pinned.Price, _pinned.Currency))}");

            var sales = new Table().Border(TableBorder.Rounded).Title("Flash sales").Expand();
            sales.AddColumns("Product", "Price", "Sold", "Remaining", "", "Status");
            foreach (var sale in _saleOrder.Select(id => _sales[id]))
            {
                var filled = sale.Quantity == 0 ? 0 : (int)Math.Round(20.0 * sale.Sold / sale.Quantity);
                sales.AddRow(
                    new Text(sale.Product),
                    new Text(HostCli.Money(sale.Price, sale.Currency)),
                    new Text($"{sale.Sold}/{sale.Quantity}"),
                    new Text(sale.Remaining.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new Markup($"[red]{new string('█', filled)}[/][grey]{new string('░', 20 - filled)}[/]"),
                    new Text(sale.Status));
            }

            // Chat is user text: Text renders it literally, never as markup.
            var chat = _chat.Count == 0
                ? (IRenderable)new Markup("[grey]no chat yet[/]")
                : new Rows(_chat.Select(m => new Paragraph().Append(m.DisplayName, new Style(decoration: Decoration.Bold)).Append("  ").Append(m.Text)));
            return new Rows(header, pinned, sales, new Panel(chat).Header("Chat").Expand());
        }
    }

    private static async Task WaitForCancellationAsync(CancellationToken cancellationToken)
    {
        var cancelled = new TaskCompletionSource();
        await using (cancellationToken.Register(() => cancelled.TrySetResult()))
        {
            await cancelled.Task;
        }
    }

    /// <summary>"code: detail" out of the client's HubException text, which prefixes the server's message.</summary>
    internal static string HubError(Exception ex)
    {
        var match = ErrorCode().Match(ex.Message);
        return match.Success ? match.Value : ex.Message;
    }

    [GeneratedRegex("(invalid_argument|unauthenticated|forbidden|not_found|conflict|rate_limited): .*$", RegexOptions.Singleline)]
    private static partial Regex ErrorCode();

    private sealed record SaleLine(string Id, string Product, decimal Price, string? Currency, int Quantity, int Sold, int Remaining, string Status);

    /// <summary>A host watching a stream wants it back whenever the server is: quick first, then every 10 s.</summary>
    private sealed class ForeverRetryPolicy : IRetryPolicy
    {
        private static readonly TimeSpan[] Delays = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            retryContext.PreviousRetryCount < Delays.Length ? Delays[retryContext.PreviousRetryCount] : TimeSpan.FromSeconds(10);
    }
}
