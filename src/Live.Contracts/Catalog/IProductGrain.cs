namespace Live.Contracts.Catalog;

/// <summary>
/// A product of the catalogue, keyed by its id: description, price, regular stock, and its owner, the host who
/// created it. Only the owner (or an operator) may offer it in a room or reserve its stock for a flash sale.
/// </summary>
[Alias("live.IProductGrain")]
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>Creates the product; a product is created once. Its badge is its owner's licence for its brand.</summary>
    [Alias("Create"), RetrySafe]
    Task<Product> CreateAsync(string ownerId, NewProduct product);

    /// <summary>The product, or <c>not_found</c>.</summary>
    [Alias("Get"), ReadOnly]
    Task<Product> GetAsync();

    /// <summary>
    /// Whether the product exists or is being created (its creation decided, its write perhaps still under way): its
    /// seller asks, when full, which of the ids it recorded never became a product. Interleaves with a creation in
    /// progress, so it answers at once and never waits on the seller that asks.
    /// </summary>
    [Alias("Exists"), ReadOnly, AlwaysInterleave]
    Task<bool> ExistsAsync();

    /// <summary>
    /// The product for <paramref name="userId"/> to pin or sell: <c>forbidden</c> unless they own it or
    /// <paramref name="isOperator"/>. With <paramref name="pinnedInRoomId"/>, the product remembers that room (the
    /// last few only) so that a change of its badge reaches the pin shown there.
    /// </summary>
    [Alias("Offer")]
    Task<Product> OfferAsync(string userId, bool isOperator, string? pinnedInRoomId);

    /// <summary>
    /// Takes <paramref name="quantity"/> units of regular stock for <paramref name="reservationId"/> (an order).
    /// Idempotent: a second call with the same id answers as the first and takes nothing more.
    /// </summary>
    [Alias("Reserve"), RetrySafe]
    Task<bool> TryReserveAsync(string reservationId, int quantity);

    /// <summary>
    /// Like <see cref="TryReserveAsync"/> for flash sale <paramref name="saleId"/> of <paramref name="hostId"/>:
    /// <c>forbidden</c>, and nothing taken, unless the host owns the product.
    /// </summary>
    [Alias("ReserveForSale"), RetrySafe]
    Task<bool> TryReserveForSaleAsync(string hostId, string saleId, int quantity);

    /// <summary>Gives back what <paramref name="reservationId"/> holds, up to <paramref name="quantity"/>; once only.</summary>
    [Alias("Release"), RetrySafe]
    Task ReleaseAsync(string reservationId, int quantity);

    /// <summary>
    /// The checkout that reserved <paramref name="reservationId"/> has completed (its cart stored it): no retry of its
    /// reserve and no release can come, so the reservation is dropped with the product's next write instead of being
    /// kept (and rewritten with every write) for the idempotency window. Called by the cart after its write; one-way.
    /// </summary>
    [Alias("Settle"), OneWay]
    Task SettleAsync(string reservationId);

    /// <summary>
    /// Sets or clears the badge (called by the owner's seller grain when a licence changes); the rooms that pinned the
    /// product re-send it when they still show it.
    /// </summary>
    [Alias("SetVerified")]
    Task SetVerifiedAsync(bool verified);
}
