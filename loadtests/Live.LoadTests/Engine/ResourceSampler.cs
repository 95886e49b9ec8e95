using System.Diagnostics;
using System.Globalization;

namespace Live.LoadTests.Engine;

/// <summary>
/// Samples a process's CPU time and resident memory from /proc (Linux), or this process's own counters elsewhere.
/// When the server runs inside the tool, the figures include the load clients too, and the report says so.
/// </summary>
public sealed class ResourceSampler(int processId)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: 100 on every Linux this tool runs on.
    private TimeSpan _lastCpu;
    private long _lastTimestamp;

    public int ProcessId { get; } = processId;

    public ResourcePoint? Sample(double seconds)
    {
        var now = Stopwatch.GetTimestamp();
        var reading = Read();
        if (reading is null)
        {
            return null;
        }

        var (cpu, rssBytes) = reading.Value;
        double percent = 0;
        if (_lastTimestamp != 0)
        {
            var wall = Stopwatch.GetElapsedTime(_lastTimestamp, now);
            percent = wall.TotalSeconds > 0 ? (cpu - _lastCpu).TotalSeconds / wall.TotalSeconds * 100 : 0;
        }

        _lastCpu = cpu;
        _lastTimestamp = now;
        return new ResourcePoint(seconds, Math.Max(0, percent), rssBytes / 1024.0 / 1024.0);
    }

    /// <summary>The machine's 1-minute load average (0 where /proc/loadavg is not there).</summary>
    public static double LoadAverage()
    {
        try
        {
            var text = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg") : null;
            return text is not null && double.TryParse(text.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Bytes process <paramref name="processId"/> had written to storage so far (<c>write_bytes</c> of /proc/PID/io: counted when a page it
    /// dirtied is sent to the storage layer), or null where that cannot be read.
    /// </summary>
    public static long? WrittenBytes(int processId)
    {
        try
        {
            if (!OperatingSystem.IsLinux())
            {
                return null;
            }

            foreach (var line in File.ReadLines($"/proc/{processId}/io"))
            {
                if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan("write_bytes:".Length).Trim(), CultureInfo.InvariantCulture);
                }
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The process's resident set size in bytes, or null when it cannot be read.</summary>
    public long? RssBytes() => Read()?.RssBytes;

    private (TimeSpan Cpu, long RssBytes)? Read()
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                var stat = File.ReadAllText($"/proc/{ProcessId}/stat");
                // Fields after the command name, which is in parentheses and may hold spaces.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var rssPages = long.Parse(fields[21], CultureInfo.InvariantCulture);
                return (TimeSpan.FromSeconds(ticks / TicksPerSecond), rssPages * Environment.SystemPageSize);
            }

            using var process = Process.GetProcessById(ProcessId);
            return (process.TotalProcessorTime, process.WorkingSet64);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
