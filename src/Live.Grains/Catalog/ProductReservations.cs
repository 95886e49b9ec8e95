using Live.Grains.Idempotency;

namespace Live.Grains.Catalog;

/// <summary>
/// The product's ledger of reservations (each order or sale that took regular stock, and whether it gave it back),
/// kept for as long as a retry may still come, then compacted, so that a product sold for years keeps a small state.
/// </summary>
/// <remarks>
/// A reservation answers retries of its reserve (take nothing twice) and of its release (give back once). Both come
/// within seconds of the first call; the idempotency window (<see cref="IdempotencyOptions.Window"/>, 24 hours by
/// default) is far longer. So a reservation is dropped once a window has passed since it last changed (reserved, or
/// released), except a sale's reservation that has not been released: a sale may run for up to a day and gives its
/// unsold units back only when it ends, and that release needs the reservation to know how much it may return.
/// A checkout's reservation is never released when the checkout completes (the units are sold), and the cart then
/// tells the product (<see cref="Forget"/>), which drops it with its next write; one interrupted by a
/// crash is released when the cart's next activation resumes it, which in practice is well within the window; a
/// release that comes later finds nothing and returns nothing (units stay taken rather than being counted twice).
/// </remarks>
internal static class ProductReservations
{
    /// <summary>
    /// Whether <paramref name="reservationId"/> holds units now (a reserve retried takes nothing more). One already given
    /// back holds none: reserved again (a sale whose start was not stored gave its units back, and the same start is
    /// sent again), it takes them anew.
    /// </summary>
    public static bool Holds(ProductState state, string reservationId) =>
        state.Reservations.ContainsKey(reservationId) && !state.Released.Contains(reservationId);

    public static void Reserve(ProductState state, string reservationId, int quantity, bool forSale, DateTimeOffset now)
    {
        state.Released.Remove(reservationId);
        state.Reservations[reservationId] = quantity;
        state.ReservedAt[reservationId] = now;
        if (forSale)
        {
            state.SaleReservations.Add(reservationId);
        }
    }

    /// <summary>Marks the reservation released; answers how many units it held, or null when there is nothing to give back.</summary>
    public static int? Release(ProductState state, string reservationId, DateTimeOffset now)
    {
        if (!state.Reservations.TryGetValue(reservationId, out var held) || !state.Released.Add(reservationId))
        {
            return null;
        }

        state.ReservedAt[reservationId] = now;
        return held;
    }

    /// <summary>
    /// Gives every reservation without a time (stored before times were kept) the time <paramref name="now"/>, so none is
    /// dropped before a whole window has passed since this load.
    /// </summary>
    public static void Backfill(ProductState state, DateTimeOffset now) =>
        IdempotencyWindow.Backfill(state.Reservations, state.ReservedAt, now);

    /// <summary>
    /// Drops the reservations of completed checkouts (<paramref name="settled"/>): never a sale's, which gives its unsold
    /// units back when it ends; answers how many went.
    /// </summary>
    public static int Forget(ProductState state, IEnumerable<string> settled)
    {
        var dropped = 0;
        foreach (var id in settled)
        {
            if (!state.SaleReservations.Contains(id) && state.Reservations.Remove(id))
            {
                state.ReservedAt.Remove(id);
                state.Released.Remove(id);
                dropped++;
            }
        }

        return dropped;
    }

    /// <summary>Drops what no retry can need any more (see the remarks); answers how many reservations went.</summary>
    public static int Compact(ProductState state, TimeSpan window, DateTimeOffset now)
    {
        var (dropped, _) = IdempotencyWindow.Compact(
            state.Reservations,
            state.ReservedAt,
            window,
            now,
            keep: id => state.SaleReservations.Contains(id) && !state.Released.Contains(id));
        if (dropped > 0)
        {
            state.Released.RemoveWhere(id => !state.Reservations.ContainsKey(id));
            state.SaleReservations.RemoveWhere(id => !state.Reservations.ContainsKey(id));
        }

        return dropped;
    }
}
