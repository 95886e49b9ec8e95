namespace Live.Client;

/// <summary>
/// <c>BuyNow</c> got no answer within the retry window (the connection stayed down): the purchase may or may not have
/// been made. Retry later with the same <see cref="RequestId"/>: the server answers it without buying twice.
/// </summary>
public sealed class LivePurchaseUnansweredException(string saleId, string requestId, Exception inner)
    : Exception($"no answer to BuyNow({saleId}) with request id {requestId}; retry with the same id", inner)
{
    public string SaleId { get; } = saleId;

    public string RequestId { get; } = requestId;
}
