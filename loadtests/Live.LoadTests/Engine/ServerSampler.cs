using Live.LoadTests.Servers;

namespace Live.LoadTests.Engine;

/// <summary>
/// Samples every process of a server (one, or a cluster's redis-server, silos and hubs): a timeline point is their
/// CPU and RSS summed, and each process's own mean CPU and peak RSS are kept for the report. The processes are asked
/// for at every sample, so a restarted one (a new pid) is followed.
/// </summary>
public sealed class ServerSampler(Func<IReadOnlyList<ServerProcess>> processes)
{
    private readonly Dictionary<string, (ResourceSampler Sampler, List<ResourcePoint> Points)> _byName = new(StringComparer.Ordinal);

    // Each process's written bytes when the measured load started, by name and pid (a restarted process starts at 0).
    private readonly Dictionary<string, (int ProcessId, long Bytes)> _writtenAtReset = new(StringComparer.Ordinal);

    public ResourcePoint? Sample(double seconds)
    {
        var points = new List<ResourcePoint>();
        foreach (var process in processes())
        {
            lock (_byName)
            {
                if (!_byName.TryGetValue(process.Name, out var entry) || entry.Sampler.ProcessId != process.ProcessId)
                {
                    entry = (new ResourceSampler(process.ProcessId), entry.Points ?? []);
                    _byName[process.Name] = entry;
                }

                if (entry.Sampler.Sample(seconds) is { } point)
                {
                    points.Add(point);
                    entry.Points.Add(point);
                }
            }
        }

        return points.Count == 0 ? null : new ResourcePoint(seconds, points.Sum(p => p.CpuPercent), points.Sum(p => p.RssMb));
    }

    /// <summary>Forgets what was sampled so far (the warm-up), keeping each process's last reading for the next CPU delta.</summary>
    public void Reset()
    {
        lock (_byName)
        {
            foreach (var entry in _byName.Values)
            {
                entry.Points.Clear();
            }

            _writtenAtReset.Clear();
            foreach (var process in processes())
            {
                if (ResourceSampler.WrittenBytes(process.ProcessId) is { } bytes)
                {
                    _writtenAtReset[process.Name] = (process.ProcessId, bytes);
                }
            }
        }
    }

    /// <summary>
    /// Bytes every process wrote to storage since <see cref="Reset"/>, summed; null when no process's count can be
    /// read.
    /// </summary>
    public long? WrittenSinceReset()
    {
        long? total = null;
        lock (_byName)
        {
            foreach (var process in processes())
            {
                if (ResourceSampler.WrittenBytes(process.ProcessId) is not { } bytes)
                {
                    continue;
                }

                var start = _writtenAtReset.TryGetValue(process.Name, out var at) && at.ProcessId == process.ProcessId ? at.Bytes : 0;
                total = (total ?? 0) + Math.Max(0, bytes - start);
            }
        }

        return total;
    }

    /// <summary>Each process's mean CPU (percent of one core) and peak RSS (MB) over what was sampled, by name.</summary>
    public IReadOnlyList<(string Name, double MeanCpuPercent, double PeakRssMb)> PerProcess()
    {
        lock (_byName)
        {
            return [.. _byName.Where(e => e.Value.Points.Count > 0).Select(e => (e.Key, e.Value.Points.Average(p => p.CpuPercent), e.Value.Points.Max(p => p.RssMb)))];
        }
    }
}
