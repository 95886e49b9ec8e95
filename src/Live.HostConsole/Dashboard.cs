using System.Threading.Channels;
using Live.Client;
using Live.Client.Models;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Live.HostConsole;

/// <summary>
/// <c>dashboard &lt;roomId&gt;</c>: joins the room over SignalR and keeps a host's view of it current from the room's
/// events: viewers, likes, the chat's tail, each flash sale's sold and remaining, and GMV (units sold times sale
/// price, over the sales active when the dashboard joined and those started since). A live screen on a terminal;
/// one line per event when the output is redirected or with <c>--plain</c>. Through Live.Client's
/// <see cref="LiveRoom"/>: events in the room's order, each once; after a reconnect it resumes (the events missed
/// meanwhile follow) or redraws from a fresh snapshot when the server can no longer resume.
/// </summary>
internal sealed class Dashboard(Uri server, string? token, string roomId, TextWriter output, TextWriter error, IAnsiConsole? live)
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
        await using var client = LiveClient.Create(new LiveClientOptions
        {
            Server = server,
            AccessTokenProvider = token is null ? null : () => Task.FromResult<string?>(token),
            // SignalR's negotiation picks the transport, as a console behind any proxy needs.
            WebSocketsOnly = false,
            ReconnectPolicy = new ForeverRetryPolicy(),
        });
        client.Reconnecting += _ => Change(() =>
        {
            _connection = "reconnecting";
            Line("connection lost, reconnecting");
        });
        client.Reconnected += () => Change(() =>
        {
            _connection = "connected";
            Line("reconnected");
        });

        try
        {
            await client.StartAsync(cancellationToken);
            await client.JoinRoomAsync(roomId, Subscribe, cancellationToken);
        }
        catch (LiveProtocolException ex)
        {
            error.WriteLine($"error: {ex.Message}");
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

    private void Subscribe(LiveRoom room)
    {
        room.SnapshotReceived += Apply;
        room.ChatReceived += message => Change(() =>
        {
            _chat.Enqueue(message);
            while (_chat.Count > ChatTail)
            {
                _chat.Dequeue();
            }

            Line($"chat {message.DisplayName}: {message.Text}");
        });
        room.ProductPinned += product => Change(() =>
        {
            _pinned = product;
            Line($"pinned {product.Id} {product.Name}");
        });
        room.ProductUnpinned += _ => Change(() =>
        {
            _pinned = null;
            Line("unpinned");
        });
        room.FlashSaleStarted += sale => Change(() =>
        {
            Track(sale);
            Line($"sale {sale.Id} started: {sale.Product.Name} {HostCli.Money(sale.Price, sale.Product.Currency)} x{sale.Quantity}");
        });
        room.FlashSaleUpdated += progress => Change(() =>
        {
            if (_sales.TryGetValue(progress.SaleId, out var line))
            {
                _sales[progress.SaleId] = line with { Sold = Math.Max(line.Sold, progress.Sold), Remaining = Math.Min(line.Remaining, progress.Remaining) };
                Line($"sale {progress.SaleId} sold {_sales[progress.SaleId].Sold}/{line.Quantity} remaining {_sales[progress.SaleId].Remaining} GMV {Gmv()}");
            }
        });
        room.FlashSaleEnded += sale => Change(() =>
        {
            Track(sale);
            Line($"sale {sale.Id} {sale.Status}: sold {sale.Quantity - sale.Remaining}/{sale.Quantity} GMV {Gmv()}");
        });
        room.ViewerCountChanged += update => Change(() =>
        {
            _viewers = update.Viewers;
            Line($"viewers {update.Viewers}");
        });
        room.LikesUpdated += update => Change(() =>
        {
            _likes = Math.Max(_likes, update.Likes);
            Line($"likes {_likes}");
        });
        room.StreamStarted += r => Change(() =>
        {
            _room = r;
            Line($"stream {r.Status}");
        });
        room.StreamEnded += r => Change(() =>
        {
            _room = r;
            Line($"stream {r.Status}");
        });
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

    private sealed record SaleLine(string Id, string Product, decimal Price, string? Currency, int Quantity, int Sold, int Remaining, string Status);
}
