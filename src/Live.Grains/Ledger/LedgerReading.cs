namespace Live.Grains.Ledger;

/// <summary>Reading a whole log from a position on, a page at a time (a rebuild, an audit).</summary>
public static class LedgerReading
{
    /// <summary>The entries a page holds at most: a rebuild reads this many per storage call.</summary>
    public const int Page = 4096;

    /// <summary>Every entry after position <paramref name="after"/>, in order, read <see cref="Page"/> at a time.</summary>
    public static async IAsyncEnumerable<LedgerRecord> ReadAllAsync(this ILedgerStore ledger, string name, string key, long after = 0)
    {
        while (true)
        {
            var page = await ledger.ReadAsync(name, key, after, Page);
            foreach (var record in page)
            {
                yield return record;
                after = record.Position;
            }

            if (page.Count < Page)
            {
                yield break;
            }
        }
    }
}
