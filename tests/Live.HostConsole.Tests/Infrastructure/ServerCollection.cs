namespace Live.HostConsole.Tests.Infrastructure;

/// <summary>The tests that share one embedded server (<see cref="ServerFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "embedded server";
}
