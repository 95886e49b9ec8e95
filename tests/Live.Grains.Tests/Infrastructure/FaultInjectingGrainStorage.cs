using Orleans.Serialization;
using Orleans.Storage;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>
/// The grain tests' storage: <paramref name="inner"/> (memory storage) with the writes that <paramref name="faults"/>
/// names failed or held. A write stores what the state held when it started, as the SQLite provider (which
/// serializes before its first await) does, so a change made while a write is held is not in that write.
/// </summary>
internal sealed class FaultInjectingGrainStorage(IGrainStorage inner, StorageFaults faults, DeepCopier copier) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var snapshot = new GrainState<T>(copier.Copy(grainState.State), grainState.ETag) { RecordExists = grainState.RecordExists };
        await faults.BeforeWriteAsync(stateName, grainId, () => inner.WriteStateAsync(stateName, grainId, snapshot));
        await inner.WriteStateAsync(stateName, grainId, snapshot);
        grainState.ETag = snapshot.ETag;
        grainState.RecordExists = snapshot.RecordExists;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
