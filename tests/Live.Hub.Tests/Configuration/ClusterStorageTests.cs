using Live.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Live.Hub.Tests.Configuration;

/// <summary>
/// A silo refuses to start with storage that other silos cannot read under clustering across machines: SQLite's file
/// and memory are one silo's, so with Redis clustering a lost silo's grains would come back elsewhere without their
/// state.
/// </summary>
public sealed class ClusterStorageTests
{
    [Fact]
    public void ASiloWithRedisClusteringRefusesSqliteStorageAndSaysWhatToSet()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Silo(("Cluster:Clustering", "Redis"), ("Cluster:Storage", "Sqlite")));

        Assert.Contains("Cluster:Storage=Redis", refused.Message, StringComparison.Ordinal);

        // The default storage (Sqlite) under Redis clustering is refused too: setting the clustering alone is not enough.
        Assert.Throws<InvalidOperationException>(() => Silo(("Cluster:Clustering", "Redis")));
    }

    [Fact]
    public void ASiloWithRedisClusteringRefusesMemoryStorageToo() =>
        Assert.Throws<InvalidOperationException>(() => Silo(("Cluster:Clustering", "Redis"), ("Cluster:Storage", "Memory")));

    [Theory]
    [InlineData("Redis", "Redis")]
    [InlineData("Localhost", "Sqlite")]
    [InlineData("Localhost", "Memory")]
    public void OtherPairsAreTaken(string clustering, string storage) =>
        Silo(("Cluster:Clustering", clustering), ("Cluster:Storage", storage));

    private static void Silo(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(
            [new("Redis:ConnectionString", "127.0.0.1:1"), new("Cluster:DataPath", Path.GetTempPath()), .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))]);
        builder.AddLiveSilo();
    }
}
