using Live.Contracts;
using Live.Contracts.Orders;
using Live.Grains.Ledger;
using Orleans.Serialization;

namespace Live.Grains.Orders;

/// <summary>
/// One user's orders, kept as an append-only ledger (<see cref="ILedgerStore"/>, name <see cref="LedgerName"/>, key the
/// user id): adding an order appends that order alone, so a write costs one order, not the whole book (docs/PERF.md
/// §19: a buyer's every purchase in a rush rewrote and re-serialized their whole book).
/// </summary>
/// <remarks>
/// The book is not this activation's alone: a flash sale appends each order it confirms to its buyer's book in the very
/// append that confirms it (<see cref="ILedgerStore.AppendAsync(string, string, long, IReadOnlyList{byte[]}, IReadOnlyList{LedgerTailEntry})"/>),
/// so a confirmed purchase is in the book when it is answered, without a call to this grain. So the memory here is
/// what was read from the ledger, nothing else: every call first reads the entries after the last one it has (an
/// indexed read of what is new, usually nothing), and an order added here is appended at the ledger's end and then
/// read back. An append that fails changes nothing in memory; the caller hears it and may retry (adding is idempotent
/// by order id). A book stored whole by earlier versions (<paramref name="legacy"/>, the same state name) is appended to
/// the ledger in one write by the first activation that finds it, and then cleared.
/// </remarks>
internal sealed class OrderBookGrain(
    [PersistentState(StateNames.OrderBook, StorageNames.Live)] IPersistentState<OrderBookState> legacy,
    ILedgerStore ledger,
    Serializer<Order> orderFormat) : Grain, IOrderBookGrain
{
    /// <summary>The order books' ledgers in the <see cref="ILedgerStore"/>: (this name, the user id).</summary>
    public const string LedgerName = StateNames.OrderBook;

    // Every ledger call goes through this: a storage client's exception cannot be answered to a caller as it is.
    private readonly ILedgerStore ledger = new AnswerableLedgerStore(ledger);
    private readonly OrderBook _book = new();

    // The last position read from the ledger.
    private long _read;

    private string UserId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await CatchUpAsync();
        if (legacy.RecordExists)
        {
            // Once: the whole book of an earlier version joins the ledger, oldest first, after any order a sale put there
            // meanwhile (none it already holds, if a previous attempt stopped short), then the old record goes.
            var missing = legacy.State.Orders.Where(o => !_book.Contains(o.Id)).ToArray();
            await AppendAtEndAsync(missing);
            await legacy.ClearStateAsync();
        }
    }

    async Task IOrderBookGrain.AddAsync(Order order)
    {
        if (order.UserId != UserId)
        {
            throw LiveException.Invalid("order belongs to another user");
        }

        await CatchUpAsync();
        if (_book.Contains(order.Id))
        {
            return;
        }

        await AppendAtEndAsync([order]);
    }

    async Task<IReadOnlyList<Order>> IOrderBookGrain.ListAsync()
    {
        await CatchUpAsync();
        return _book.NewestFirst();
    }

    async Task<OrderPage> IOrderBookGrain.ListPageAsync(string? before, int limit)
    {
        await CatchUpAsync();
        return _book.Page(before, limit, IOrderBookGrain.MaxPage);
    }

    async Task<Order?> IOrderBookGrain.FindAsync(string orderId)
    {
        await CatchUpAsync();
        return _book.Find(orderId);
    }

    /// <summary>
    /// Appends <paramref name="orders"/> at the ledger's end, as a sale's appends are (no length check: a sale may have
    /// appended meanwhile), then reads them back: they are in memory only once storage has them.
    /// </summary>
    private async Task AppendAtEndAsync(IEnumerable<Order> orders)
    {
        await ledger.AppendAsync(LedgerName, UserId, 0, [], [.. orders.Select(o => new LedgerTailEntry(LedgerName, UserId, orderFormat.SerializeToArray(o)))]);
        await CatchUpAsync();
    }

    /// <summary>
    /// Reads what the ledger holds after the last entry read. Read-only calls may interleave here: each entry is added
    /// once (the book ignores an order id it has) and the position only moves forward.
    /// </summary>
    private async Task CatchUpAsync()
    {
        await foreach (var record in ledger.ReadAllAsync(LedgerName, UserId, after: _read))
        {
            _book.Add(orderFormat.Deserialize(record.Payload) ?? throw new InvalidOperationException($"order book {UserId}: empty ledger entry"));
            _read = Math.Max(_read, record.Position);
        }
    }
}
