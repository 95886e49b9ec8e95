using Live.Grains.Ledger;
using Xunit;

namespace Live.Testing;

/// <summary>What every <see cref="ILedgerStore"/> must do, checked the same way on memory, SQLite and Redis.</summary>
public static class LedgerStoreChecks
{
    /// <summary>
    /// An append with entries for the end of other logs: all of it lands in one write (several for one log in their
    /// order, whatever those logs' lengths); when the length check fails nothing lands anywhere; with no entries of its
    /// own the checked log is neither checked nor changed. Uses logs under <paramref name="prefix"/> only.
    /// </summary>
    public static async Task AppendsAtTheEndOfOtherLogsInTheSameWriteAsync(ILedgerStore store, string prefix)
    {
        var sale = prefix + "sale";
        var (bookA, bookB) = (prefix + "a", prefix + "b");
        await store.AppendAsync("orders", bookA, 0, [[1]]);

        await store.AppendAsync("sale", sale, 0, [[10], [11]], [new("orders", bookA, [2]), new("orders", bookB, [3]), new("orders", bookA, [4])]);
        var conflict = await Assert.ThrowsAsync<LedgerConflictException>(
            () => store.AppendAsync("sale", sale, 1, [[12]], [new("orders", bookA, [99]), new("orders", prefix + "c", [99])]));
        await store.AppendAsync("sale", sale, 12345, [], [new("orders", bookB, [5])]);

        Assert.Equal((1L, 2L), (conflict.Expected, conflict.Actual));
        Assert.Equal([(1L, 10), (2L, 11)], await ReadAsync(store, "sale", sale));
        Assert.Equal([(1L, 1), (2L, 2), (3L, 4)], await ReadAsync(store, "orders", bookA));
        Assert.Equal([(1L, 3), (2L, 5)], await ReadAsync(store, "orders", bookB));
        Assert.Empty(await ReadAsync(store, "orders", prefix + "c"));
    }

    private static async Task<(long Position, int First)[]> ReadAsync(ILedgerStore store, string name, string key) =>
        [.. (await store.ReadAsync(name, key, 0, 100)).Select(r => (r.Position, (int)r.Payload[0]))];
}
