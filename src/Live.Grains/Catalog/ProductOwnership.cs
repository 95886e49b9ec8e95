using Live.Contracts;
using Live.Contracts.Catalog;

namespace Live.Grains.Catalog;

/// <summary>Who may offer a product (pin it, sell it), and which rooms a product remembers having been pinned in.</summary>
internal static class ProductOwnership
{
    /// <summary>
    /// How many rooms a product remembers, most recent last: enough for the rooms showing it now (a host pins a product
    /// in the one or two rooms they stream), bounded so that a product pinned for years keeps a small state.
    /// </summary>
    public const int RoomsRemembered = 16;

    /// <summary><c>forbidden</c> unless <paramref name="userId"/> owns the product or is an operator.</summary>
    public static void Require(string productId, string? ownerId, string userId, bool isOperator)
    {
        if (!isOperator && (ownerId is null || ownerId != userId))
        {
            throw LiveException.Forbidden($"product {productId} belongs to another seller");
        }
    }

    /// <summary>
    /// Whether <paramref name="input"/> from <paramref name="ownerId"/> is the request that created
    /// <paramref name="existing"/>: same owner, and the same name, brand, price, currency, image and tags once trimmed
    /// (stock is left out: sales may have taken from it since).
    /// </summary>
    public static bool IsRepeat(Product existing, string ownerId, NewProduct? input) =>
        input is not null
        && existing.OwnerId == ownerId
        && existing.Name == input.Name?.Trim()
        && existing.Brand == input.Brand?.Trim()
        && existing.Price == input.Price
        && existing.Currency == SafeCurrency(input.Currency)
        && existing.ImageUrl == (string.IsNullOrWhiteSpace(input.ImageUrl) ? null : input.ImageUrl.Trim())
        && existing.Tags.SequenceEqual((input.Tags ?? []).Select(t => t?.Trim()).Distinct(StringComparer.Ordinal), StringComparer.Ordinal);

    private static string? SafeCurrency(string? currency)
    {
        try
        {
            return Money.NormalizeCurrency(currency);
        }
        catch (LiveException)
        {
            return null;
        }
    }

    /// <summary>Adds (or moves last) <paramref name="roomId"/>, dropping the oldest past the bound; whether the list changed.</summary>
    public static bool RememberRoom(List<string> rooms, string roomId)
    {
        if (rooms.Count > 0 && rooms[^1] == roomId)
        {
            return false;
        }

        rooms.Remove(roomId);
        rooms.Add(roomId);
        if (rooms.Count > RoomsRemembered)
        {
            rooms.RemoveRange(0, rooms.Count - RoomsRemembered);
        }

        return true;
    }
}
