namespace Live.LoadTests.Servers;

/// <summary>Which server a scenario needs and the configuration it starts it with (ignored for a given URL).</summary>
public sealed record ServerSpec(ServerKind Kind, IReadOnlyDictionary<string, string?> Settings)
{
    public static ServerSpec RedLive(IReadOnlyDictionary<string, string?>? settings = null) => new(ServerKind.RedLive, settings ?? new Dictionary<string, string?>());

    public static ServerSpec Bare { get; } = new(ServerKind.Bare, new Dictionary<string, string?>());
}
