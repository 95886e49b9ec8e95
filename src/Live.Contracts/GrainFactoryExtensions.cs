namespace Live.Contracts;

/// <summary>
/// Grain references by string key, with the grain and interface types Orleans resolved for the first one kept for
/// the rest.
/// </summary>
/// <remarks>
/// <c>IGrainFactory.GetGrain&lt;T&gt;(string)</c> resolves the interface's grain type by reading its attributes on
/// every call: a <c>perf</c> profile of the flash-sale rush found 3.8 % of the server's CPU there (docs/PERF.md §21),
/// for a value that never changes while the process runs. The first reference of each interface is made by Orleans as
/// before (so an interface it cannot resolve fails the same way, and nothing is kept); the next ones are
/// <c>GetGrain(GrainId, GrainInterfaceType)</c> with the same two types, the reference Orleans itself builds last.
/// </remarks>
public static class GrainFactoryExtensions
{
    public static TGrain GetGrainByKey<TGrain>(this IGrainFactory factory, string key)
        where TGrain : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (Resolved<TGrain>.Types is { } types)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(key);
            return (TGrain)factory.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
        }

        var grain = factory.GetGrain<TGrain>(key);
        if (grain is GrainReference reference)
        {
            Resolved<TGrain>.Types = new ResolvedTypes(reference.GrainId.Type, reference.InterfaceType);
        }

        return grain;
    }

    private sealed record ResolvedTypes(GrainType Grain, GrainInterfaceType Interface);

    private static class Resolved<TGrain>
    {
        // A reference type, so a reader sees both values or none.
        public static volatile ResolvedTypes? Types;
    }
}
