using Live.Contracts.Orders;

namespace Live.Contracts.Carts;

/// <summary>A checkout's order, and whether this call created it (false when the key was seen before).</summary>
[GenerateSerializer, Immutable, Alias("live.CheckoutOutcome")]
public sealed record CheckoutOutcome
{
    [Id(0)] public required Order Order { get; init; }
    [Id(1)] public required bool IsNew { get; init; }
}
