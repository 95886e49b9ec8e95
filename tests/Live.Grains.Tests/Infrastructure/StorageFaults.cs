using System.Collections.Concurrent;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>
/// The writes that <see cref="FaultInjectingGrainStorage"/> fails or holds: each armed <see cref="WriteFault"/> takes
/// the next writes of one state name and grain key, in the order armed. Writes that match no fault go through.
/// </summary>
public sealed class StorageFaults
{
    private readonly ConcurrentQueue<WriteFault> _armed = new();

    /// <summary>
    /// The next <paramref name="count"/> writes of the grain's state, after the first <paramref name="after"/> of them
    /// (which go through), fail and store nothing: as storage out of reach (a <see cref="TimeoutException"/>) when
    /// <paramref name="unreachable"/>, otherwise as a plain error.
    /// </summary>
    public WriteFault FailNext(string stateName, string grainKey, int count = 1, int after = 0, bool unreachable = false) =>
        Arm(new WriteFault(stateName, grainKey, count, hold: false, after, unreachable));

    /// <summary>
    /// Arms a fault that fails the next <paramref name="count"/> writes as storage out of reach before the write was
    /// sent (StackExchange.Redis' <c>RedisConnectionException</c>, <c>UnableToConnect</c>): nothing stored, and the
    /// failure says so (<see cref="TransientStorageFailure.MayHaveLanded"/> false).
    /// </summary>
    public WriteFault FailNextUnsent(string stateName, string grainKey, int count = 1) =>
        Arm(new WriteFault(stateName, grainKey, count, hold: false, after: 0, unreachable: true, unsent: true));

    /// <summary>
    /// The next write of the grain's state waits (its content already taken, as a real store serializes at the start)
    /// until the test stores it or fails it (see <see cref="WriteFault.Release"/>); failed as storage out of reach (a
    /// <see cref="TimeoutException"/>) when <paramref name="unreachable"/>, otherwise as a plain error.
    /// </summary>
    public WriteFault HoldNext(string stateName, string grainKey, bool unreachable = false) =>
        Arm(new WriteFault(stateName, grainKey, 1, hold: true, after: 0, unreachable));

    /// <summary>
    /// The next write of the grain's state fails at once as storage out of reach (a <see cref="TimeoutException"/>),
    /// while storage still has it in flight: it lands later, when the test calls <see cref="WriteFault.Release"/> with
    /// <c>store: true</c> (a timed-out write that lands after its grain gave up on it).
    /// </summary>
    public WriteFault TimeOutAndLandLater(string stateName, string grainKey) =>
        Arm(new WriteFault(stateName, grainKey, 1, hold: false, after: 0, unreachable: true, landsLater: true));

    /// <summary>Fails or holds a grain state's write if an armed fault takes it; <paramref name="land"/> stores it.</summary>
    internal Task BeforeWriteAsync(string stateName, GrainId grainId, Func<Task> land) => BeforeWriteAsync(stateName, grainId.Key.ToString()!, land);

    /// <summary>Fails or holds this write if an armed fault takes it (grain state, or a ledger append by its key).</summary>
    internal async Task BeforeWriteAsync(string stateName, string key, Func<Task>? land = null)
    {
        foreach (var fault in _armed)
        {
            if (fault.TryTake(stateName, key))
            {
                await fault.ApplyAsync(land);
                return;
            }
        }
    }

    private WriteFault Arm(WriteFault fault)
    {
        _armed.Enqueue(fault);
        return fault;
    }
}
