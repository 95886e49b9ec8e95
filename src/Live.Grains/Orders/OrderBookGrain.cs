using Live.Contracts;
using Live.Contracts.Orders;
using Live.Grains.Ledger;
using Orleans.Serialization;

namespace Live.Grains.Orders;

/// <summary>
/// One user's orders, kept as an append-only ledger (<see cref="ILedgerStore"/>, name <see cref="LedgerName"/>, key the
/// user id): adding an order appends that order alone, so a write costs one order, not the whole book (docs/PERF.md
/// §19: a buyer's every purchase in a rush rewrote and re-serialized their whole book). An order is answered "added"
/// only once its append is durable; a failed append deactivates the activation, which reloads from the ledger.
/// </summary>
/// <remarks>
/// A book stored whole by earlier versions (<paramref name="legacy"/>, the same state name) is read once, on the first
/// activation that finds the ledger empty, and appended to it in one write; the ledger is what is read from then on.
/// </remarks>
internal sealed class OrderBookGrain(
    [PersistentState(StateNames.OrderBook, StorageNames.Live)] IPersistentState<OrderBookState> legacy,
    ILedgerStore ledger,
    Serializer<Order> orderFormat) : Grain, IOrderBookGrain, IIncomingGrainCallFilter
{
    /// <summary>The order books' ledgers in the <see cref="ILedgerStore"/>: (this name, the user id).</summary>
    public const string LedgerName = StateNames.OrderBook;

    // Every ledger call goes through this: a storage client's exception cannot be answered to a caller as it is.
    private readonly ILedgerStore ledger = new AnswerableLedgerStore(ledger);
    private readonly OrderBook _book = new();
    private StateWriter? _writer;

    // The ledger's stored length, and the entry the next append writes (the writer's delegate is built once).
    private long _length;
    private byte[]? _toAppend;

    private string UserId => this.GetPrimaryKeyString();

    private StateWriter Writer => _writer ??= new StateWriter(_ => AppendAsync(), DeactivateOnIdle, $"order book {UserId}");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await foreach (var record in ledger.ReadAllAsync(LedgerName, UserId))
        {
            _book.Add(orderFormat.Deserialize(record.Payload) ?? throw new InvalidOperationException($"order book {UserId}: empty ledger entry"));
            _length = record.Position;
        }

        if (_book.Count == 0 && legacy.RecordExists && legacy.State.Orders.Count > 0)
        {
            // Once: the whole book of an earlier version becomes the ledger's first entries, oldest first.
            var orders = legacy.State.Orders;
            await ledger.AppendAsync(LedgerName, UserId, 0, [.. orders.Select(o => orderFormat.SerializeToArray(o))]);
            _length = orders.Count;
            foreach (var order in orders)
            {
                _book.Add(order);
            }
        }
    }

    /// <summary>After a failed append this activation answers nothing: the next call reloads from storage.</summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        Writer.ThrowIfBroken();
        return context.Invoke();
    }

    async Task IOrderBookGrain.AddAsync(Order order)
    {
        if (order.UserId != UserId)
        {
            throw LiveException.Invalid("order belongs to another user");
        }

        if (_book.Contains(order.Id))
        {
            return;
        }

        // In memory only once stored: a failed append leaves the book as storage has it (and the activation goes), so
        // a redelivery appends the order instead of finding it in memory and answering success.
        _toAppend = orderFormat.SerializeToArray(order);
        await Writer.WriteAsync();
        _book.Add(order);
    }

    Task<IReadOnlyList<Order>> IOrderBookGrain.ListAsync() => Task.FromResult<IReadOnlyList<Order>>(_book.NewestFirst());

    Task<Order?> IOrderBookGrain.FindAsync(string orderId) => Task.FromResult(_book.Find(orderId));

    private async Task AppendAsync()
    {
        var entry = _toAppend ?? throw new InvalidOperationException("nothing to append");
        _toAppend = null;
        await ledger.AppendAsync(LedgerName, UserId, _length, [entry]);
        _length++;
    }
}
