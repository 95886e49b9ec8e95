using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.Rooms;
using Live.Contracts.Sellers;
using Live.Grains.Idempotency;
using Microsoft.Extensions.Options;

namespace Live.Grains.Catalog;

internal sealed class ProductGrain(
    [PersistentState(StateNames.Product, StorageNames.Live)] IPersistentState<ProductState> state,
    TimeProvider time,
    IOptions<IdempotencyOptions> idempotency)
    : Grain, IProductGrain, IIncomingGrainCallFilter
{
    private StateWriter? _writer;

    // Every write goes through it: after a failed write this activation answers nothing and is replaced. Reservations
    // past the idempotency window are dropped as a write starts, so compaction costs no write of its own.
    private StateWriter Writer => _writer ??= new StateWriter(WriteStateAsync, DeactivateOnIdle, $"product {ProductId}");

    // Completed checkouts' reservations, dropped as the next write starts (no write of their own: a popular product
    // writes often). Lost with the activation, they go with the idempotency window instead.
    private readonly HashSet<string> _settled = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ProductReservations.Backfill(state.State, time.GetUtcNow());
        return Task.CompletedTask;
    }

    private Task WriteStateAsync(CancellationToken cancellationToken)
    {
        ProductReservations.Forget(state.State, _settled);
        _settled.Clear();
        ProductReservations.Compact(state.State, idempotency.Value.Window, time.GetUtcNow());
        return state.WriteStateAsync(cancellationToken);
    }

    private const int MaxTags = 20;

    private string ProductId => this.GetPrimaryKeyString();

    /// <summary>
    /// Any id may be asked for: one that holds no product answers <c>not_found</c> and leaves no activation behind,
    /// so that a stream of random ids costs calls, not memory.
    /// </summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        Writer.ThrowIfBroken();
        return UnknownIds.InvokeAsync(context, () => state.State.Product is null, DeactivateOnIdle);
    }

    async Task<Product> IProductGrain.CreateAsync(string ownerId, NewProduct input)
    {
        if (state.State.Product is not null)
        {
            // Product ids are chosen by the server, so the same id from the same owner with the same description is
            // the same request sent again (a hub server retrying after a silo's loss): it answers the product.
            return ProductOwnership.IsRepeat(Current, ownerId, input)
                ? Current
                : throw LiveException.Conflict($"product {ProductId} already exists");
        }

        ArgumentNullException.ThrowIfNull(input);
        var name = TextRules.Require(input.Name, "name", 200);
        var brand = TextRules.Require(input.Brand, "brand", 100);
        Money.RequirePrice(input.Price);
        var currency = Money.NormalizeCurrency(input.Currency);
        var imageUrl = TextRules.Optional(input.ImageUrl, "imageUrl", 2000);
        if (imageUrl is not null
            && (!Uri.TryCreate(imageUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw LiveException.Invalid("imageUrl must be an absolute http or https URL");
        }

        var tags = input.Tags ?? [];
        if (tags.Count > MaxTags)
        {
            throw LiveException.Invalid($"at most {MaxTags} tags");
        }

        var cleanTags = tags.Select(t => TextRules.Require(t, "tag", 30)).Distinct(StringComparer.Ordinal).ToArray();
        if (input.Stock is < 0 or > 100_000_000)
        {
            throw LiveException.Invalid("stock must be 0 to 100000000");
        }

        // The seller records the product before it exists, so that a licence granted from now on reaches it; its
        // answer is the badge. A licence change arriving meanwhile waits for this turn (the grain is not reentrant).
        var verified = await GrainFactory.GetGrainByKey<ISellerGrain>(ownerId).AddProductAsync(ProductId, brand);
        var product = new Product
        {
            Id = ProductId,
            Name = name,
            Brand = brand,
            Price = input.Price,
            Currency = currency,
            ImageUrl = imageUrl,
            Tags = cleanTags,
            Verified = verified,
            Stock = input.Stock,
            OwnerId = ownerId,
        };
        state.State.Product = product;
        state.State.OwnerId = ownerId;
        await Writer.WriteAsync();
        return product;
    }

    Task<Product> IProductGrain.GetAsync() => Task.FromResult(Current);

    // Set before the creation's write: true from the moment the product is decided, so a write in flight (that may
    // land) counts as existing; false for an id whose creation never got that far or whose write failed (the activation
    // that failed it answers nothing, and the next one reads storage).
    Task<bool> IProductGrain.ExistsAsync() => Task.FromResult(state.State.Product is not null);

    async Task<Product> IProductGrain.OfferAsync(string userId, bool isOperator, string? pinnedInRoomId)
    {
        var product = Current;
        ProductOwnership.Require(ProductId, state.State.OwnerId, userId, isOperator);
        if (pinnedInRoomId is not null && ProductOwnership.RememberRoom(state.State.PinnedIn, pinnedInRoomId))
        {
            await Writer.WriteAsync();
        }

        return product;
    }

    Task<bool> IProductGrain.TryReserveAsync(string reservationId, int quantity) => ReserveAsync(reservationId, quantity, forSale: false);

    Task IProductGrain.SettleAsync(string reservationId)
    {
        if (ProductReservations.Holds(state.State, reservationId))
        {
            _settled.Add(reservationId);
        }

        return Task.CompletedTask;
    }

    Task<bool> IProductGrain.TryReserveForSaleAsync(string hostId, string saleId, int quantity)
    {
        _ = Current;
        ProductOwnership.Require(ProductId, state.State.OwnerId, hostId, isOperator: false);
        return ReserveAsync(saleId, quantity, forSale: true);
    }

    async Task IProductGrain.ReleaseAsync(string reservationId, int quantity)
    {
        var product = Current;
        if (ProductReservations.Release(state.State, reservationId, time.GetUtcNow()) is not { } held)
        {
            return;
        }

        if (product.Stock is { } stock)
        {
            state.State.Product = product with { Stock = stock + Math.Clamp(quantity, 0, held) };
        }

        await Writer.WriteAsync();
    }

    async Task IProductGrain.SetVerifiedAsync(bool verified)
    {
        var product = Current;
        if (product.Verified == verified)
        {
            return;
        }

        product = product with { Verified = verified };
        state.State.Product = product;
        await Writer.WriteAsync();
        foreach (var roomId in state.State.PinnedIn)
        {
            // One-way: a room that no longer shows the product ignores it, and a slow room does not hold up the seller.
            await GrainFactory.GetGrainByKey<ILiveRoomGrain>(roomId).ProductChangedAsync(product);
        }
    }

    private async Task<bool> ReserveAsync(string reservationId, int quantity, bool forSale)
    {
        var product = Current;
        if (quantity <= 0)
        {
            throw LiveException.Invalid("quantity must be positive");
        }

        if (ProductReservations.Holds(state.State, reservationId))
        {
            return true;
        }

        if (product.Stock is { } stock)
        {
            if (stock < quantity)
            {
                return false;
            }

            state.State.Product = product with { Stock = stock - quantity };
        }

        ProductReservations.Reserve(state.State, reservationId, quantity, forSale, time.GetUtcNow());
        await Writer.WriteAsync();
        return true;
    }

    // Products stored before owners were shown get theirs from the state.
    private Product Current =>
        state.State.Product is { } product
            ? product.OwnerId is null ? product with { OwnerId = state.State.OwnerId } : product
            : throw LiveException.NotFound($"product {ProductId} not found");
}
