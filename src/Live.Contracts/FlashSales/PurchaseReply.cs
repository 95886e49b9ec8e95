namespace Live.Contracts.FlashSales;

/// <summary>
/// The answer to one purchase of a batch: its outcome, or the protocol error (<see cref="ErrorCodes"/>) that
/// <see cref="IFlashSaleGrain.BuyNowAsync"/> would have thrown for it alone.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.PurchaseReply")]
public sealed record PurchaseReply
{
    [Id(0)] public PurchaseOutcome? Outcome { get; init; }
    [Id(1)] public string? ErrorCode { get; init; }
    [Id(2)] public string? ErrorMessage { get; init; }

    public static PurchaseReply Of(PurchaseOutcome outcome) => new() { Outcome = outcome };

    public static PurchaseReply Failed(LiveException error) => new() { ErrorCode = error.Code, ErrorMessage = error.Message };

    /// <summary>The outcome, or the error as the <see cref="LiveException"/> it was.</summary>
    public PurchaseOutcome Unwrap() =>
        Outcome ?? throw (ErrorCode is { } code
            ? new LiveException(code, ErrorMessage ?? code)
            : new InvalidOperationException("a purchase reply with neither an outcome nor an error"));
}
