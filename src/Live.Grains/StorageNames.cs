namespace Live.Grains;

/// <summary>The grain storage provider every RedLive grain persists through; hosts and tests share it.</summary>
/// <remarks>
/// Stored records hold arrays, <c>List&lt;T&gt;</c> or dictionaries, never a collection expression typed as
/// <c>IReadOnlyList&lt;T&gt;</c>: Redis storage writes JSON that names each value's runtime type, and the types the
/// compiler synthesizes for collection expressions cannot be read back (found by the failover test).
/// </remarks>
public static class StorageNames
{
    public const string Live = "live";
}
