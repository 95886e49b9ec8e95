namespace Live.Client;

/// <summary>
/// <c>AddToCartWithKey</c> got no answer within the retry window (the connection stayed down): the item may or may not
/// have been added. Retry later with the same <see cref="IdempotencyKey"/> (within 24 hours and the cart's next 64
/// adds): the server adds it once.
/// </summary>
public sealed class LiveCartAddUnansweredException(string productId, string idempotencyKey, Exception inner)
    : Exception($"no answer to AddToCart({productId}) with idempotency key {idempotencyKey}; retry with the same key", inner)
{
    public string ProductId { get; } = productId;

    public string IdempotencyKey { get; } = idempotencyKey;
}
