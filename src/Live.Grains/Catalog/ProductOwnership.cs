using Live.Contracts;

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
