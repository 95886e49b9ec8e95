using System.Collections.Concurrent;
using Live.Contracts;
using Live.Contracts.FlashSales;
using Microsoft.Extensions.Options;

namespace Live.Hub.Sales;

/// <summary>
/// Sends the <c>BuyNow</c> calls this hub server receives for one sale as few grain calls: at most
/// <see cref="LiveHubOptions.PurchaseCallsInFlight"/> per sale at a time, and the purchases that arrive meanwhile leave
/// together as one <see cref="IFlashSaleGrain.BuyNowManyAsync"/> when one returns.
/// </summary>
/// <remarks>
/// <para>
/// In a rush a sale's grain takes thousands of purchases a second and decides them in batches anyway (its group
/// commit: every purchase made while a write runs shares the next one), so a purchase that waits here for a call to
/// return would have waited in the grain for that write; what the batch saves is a grain call per purchase (a message,
/// a copy or serialization of its arguments, a turn and a continuation on each side; docs/PERF.md §23). A purchase that
/// finds fewer calls in flight leaves at once: a quiet sale adds no wait. Each purchase is still the buyer's own
/// (<see cref="PurchaseRequest.Buyer"/>, checked in the grain as for <c>BuyNow</c>) and keeps its own answer or error.
/// </para>
/// <para>
/// A sale's queue is dropped when it has nothing in flight and nothing waiting, so finished sales leave nothing behind.
/// A caller that finds a queue being dropped may get a second one for the same sale; both work, the sale only sees
/// more calls for that moment.
/// </para>
/// </remarks>
public sealed class PurchaseBatcher
{
    private readonly ConcurrentDictionary<string, SaleQueue> _sales = new(StringComparer.Ordinal);
    private readonly Func<string, IFlashSaleGrain> _saleOf;
    private readonly int _maxInFlight;
    private readonly int _maxBatch;

    public PurchaseBatcher(IGrainFactory grains, IOptions<LiveHubOptions> options)
        : this(grains.GetGrainByKey<IFlashSaleGrain>, options.Value)
    {
    }

    /// <summary>Over any sale grains (unit tests give their own).</summary>
    internal PurchaseBatcher(Func<string, IFlashSaleGrain> saleOf, LiveHubOptions options)
    {
        _saleOf = saleOf;
        _maxInFlight = options.PurchaseCallsInFlight;
        _maxBatch = options.MaxPurchaseBatch;
    }

    /// <summary>Sales with purchases in flight or waiting on this server (for tests).</summary>
    public int ActiveSales => _sales.Count;

    public Task<PurchaseOutcome> BuyNowAsync(string saleId, Caller buyer, int quantity, string requestId)
    {
        var purchase = new PurchaseRequest { Buyer = buyer, Quantity = quantity, RequestId = requestId };
        while (true)
        {
            if (_sales.GetOrAdd(saleId, id => new SaleQueue(this, id)).Enqueue(purchase) is { } answer)
            {
                return answer;
            }

            // The queue went idle and was dropped between the lookup and the enqueue: take a fresh one.
        }
    }

    private sealed class SaleQueue(PurchaseBatcher owner, string saleId)
    {
        private readonly IFlashSaleGrain _sale = owner._saleOf(saleId);
        private readonly int _maxInFlight = owner._maxInFlight;
        private readonly int _maxBatch = owner._maxBatch;
        private readonly Lock _gate = new();
        private List<Waiting> _waiting = [];
        private int _inFlight;
        private bool _dropped;

        /// <summary>The purchase's answer; null when this queue was dropped meanwhile (the caller takes a fresh one).</summary>
        public Task<PurchaseOutcome>? Enqueue(PurchaseRequest purchase)
        {
            var waiting = new Waiting(purchase);
            bool send;
            lock (_gate)
            {
                if (_dropped)
                {
                    return null;
                }

                _waiting.Add(waiting);
                send = _inFlight < _maxInFlight;
                if (send)
                {
                    _inFlight++;
                }
            }

            if (send)
            {
                _ = SendAsync();
            }

            return waiting.Answer.Task;
        }

        /// <summary>One call slot: sends what waits, then again while anything waits; frees the slot when nothing does.</summary>
        private async Task SendAsync()
        {
            while (TakeBatch() is { } batch)
            {
                try
                {
                    var replies = await _sale.BuyNowManyAsync([.. batch.Select(w => w.Purchase)]);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        batch[i].Complete(replies[i]);
                    }
                }
                catch (Exception ex)
                {
                    // The call failed as a whole (the retry filter has already retried a call whose silo died): each
                    // purchase fails as its own call would have; the client retries with its request id.
                    foreach (var waiting in batch)
                    {
                        waiting.Answer.TrySetException(ex);
                    }
                }
            }
        }

        private List<Waiting>? TakeBatch()
        {
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    if (--_inFlight == 0)
                    {
                        _dropped = true;
                        owner._sales.TryRemove(new KeyValuePair<string, SaleQueue>(saleId, this));
                    }

                    return null;
                }

                if (_waiting.Count <= _maxBatch)
                {
                    var all = _waiting;
                    _waiting = [];
                    return all;
                }

                var first = _waiting.GetRange(0, _maxBatch);
                _waiting.RemoveRange(0, _maxBatch);
                return first;
            }
        }
    }

    private sealed class Waiting(PurchaseRequest purchase)
    {
        public PurchaseRequest Purchase => purchase;

        // Completed by the sending loop: the buyer's continuation must not run on it and hold up the next batch.
        public TaskCompletionSource<PurchaseOutcome> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Complete(PurchaseReply reply)
        {
            try
            {
                Answer.TrySetResult(reply.Unwrap());
            }
            catch (Exception ex)
            {
                Answer.TrySetException(ex);
            }
        }
    }
}
