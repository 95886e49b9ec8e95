using Live.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Live.Grains.Tests;

/// <summary>The storage format <see cref="GrainServiceCollectionExtensions.AddLiveGrains"/> chooses reaches the providers.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StorageFormatTests(ClusterFixture fixture)
{
    [Fact]
    public void GrainStateIsStoredWithTheOrleansSerializerNotJson()
    {
        var silo = (InProcessSiloHandle)fixture.Cluster.Silos[0];
        var options = silo.SiloHost.Services.GetRequiredService<IOptionsMonitor<MemoryGrainStorageOptions>>()
            .Get(StorageNames.Live);

        Assert.IsType<OrleansGrainStorageSerializer>(options.GrainStorageSerializer);
    }
}
