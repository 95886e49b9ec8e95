using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Live.LoadTests.Engine;

/// <summary>What the figures were measured on, and the operating-system limits that bound a client count.</summary>
public static class Machine
{
    public static IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["cores (nproc)"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["cpu"] = CpuModel(),
        ["memory"] = MemoryTotal(),
        ["os"] = RuntimeInformation.OSDescription,
        [".NET runtime"] = RuntimeInformation.FrameworkDescription,
        ["GC"] = GCSettings.IsServerGC ? "server" : "workstation",
        ["clients' thread-pool minimum (workers/io)"] = ClientThreads(),
        ["open files (soft/hard)"] = OpenFilesLimit() is { } l ? $"{l.Soft}/{l.Hard}" : "unknown",
        ["load average at start (1/5/15 min)"] = Read("/proc/loadavg") is { } avg ? string.Join(" ", avg.Split(' ').Take(3)) : "unknown",
        ["ephemeral ports"] = Read("/proc/sys/net/ipv4/ip_local_port_range")?.Replace('\t', '-') ?? "unknown",
    };

    /// <summary>
    /// The process's open-file limit from /proc/self/limits. .NET raises the soft limit to the hard one when it
    /// starts, so the hard limit is what counts; raising it needs root with CAP_SYS_RESOURCE (<c>ulimit -Hn</c>).
    /// </summary>
    public static (long Soft, long Hard)? OpenFilesLimit()
    {
        var line = Read("/proc/self/limits")?.Split('\n').FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        if (line is null)
        {
            return null;
        }

        var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.TryParse(parts[0], out var soft) && long.TryParse(parts[1], out var hard) ? (soft, hard) : null;
    }

    /// <summary>Why a scenario with <paramref name="connections"/> WebSockets cannot run here, or null when it can.</summary>
    public static string? FileDescriptorProblem(int connections, bool serverInProcess)
    {
        if (OpenFilesLimit() is not { } limit)
        {
            return null;
        }

        // Each WebSocket is one descriptor in the client and, when the server shares the process, one more there.
        var needed = (serverInProcess ? 2L * connections : connections) + 1024;
        return needed <= limit.Soft
            ? null
            : $"{connections} connections need about {needed} open files in this process but the limit is {limit.Soft} (hard {limit.Hard}); " +
              (serverInProcess ? "run with --host process (server in its own process halves the need) or " : "") +
              "raise it with `ulimit -n N` (the hard limit needs root with CAP_SYS_RESOURCE: `ulimit -Hn N`, or LimitNOFILE= in a systemd unit)";
    }

    private static string ClientThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        return $"{workers}/{io}";
    }

    private static string CpuModel() =>
        Read("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        ?? RuntimeInformation.ProcessArchitecture.ToString();

    private static string MemoryTotal()
    {
        var line = Read("/proc/meminfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kb is not null && long.TryParse(kb, out var k) ? $"{k / 1024.0 / 1024.0:0.0} GiB" : "unknown";
    }

    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
