namespace Live.Grains;

/// <summary>The grain storage provider every RedLive grain persists through; hosts and tests share it.</summary>
/// <remarks>
/// State goes through the Orleans binary serializer (<see cref="GrainServiceCollectionExtensions.AddLiveGrains"/>),
/// which reads a collection expression typed as <c>IReadOnlyList&lt;T&gt;</c> back as a <c>List&lt;T&gt;</c>. Stored
/// records still hold arrays, <c>List&lt;T&gt;</c> or dictionaries: under a JSON storage serializer (Orleans' default,
/// used here before) the types the compiler synthesizes for collection expressions were named in the JSON and could
/// not be read back (found by the failover test).
/// </remarks>
public static class StorageNames
{
    public const string Live = "live";
}
