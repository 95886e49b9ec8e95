using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Live.Testing;

/// <summary>
/// Free loopback ports for servers started by tests and the load tool (tests/Live.Testing, referenced by both).
/// </summary>
/// <remarks>
/// Not from port 0: the kernel hands those out of the ephemeral range, the same range every outgoing connection
/// takes its local port from, so with thousands of client sockets and several test assemblies running at once a port
/// picked and released could be taken by someone's connect before the server binds it ("address already in use",
/// seen in CI). Ports here come from below the ephemeral range, are checked bindable, and are never handed out twice
/// by one process.
/// </remarks>
public static class LoopbackPorts
{
    private const int Lowest = 10_000;
    private static readonly ConcurrentDictionary<int, bool> Given = new();
    private static readonly int Highest = EphemeralLow() - 1;

    public static int Pick()
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Random.Shared.Next(Lowest, Highest + 1);
            if (Given.TryAdd(port, true) && IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free loopback port between {Lowest} and {Highest}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The start of the kernel's ephemeral range (Linux), 32768 where it cannot be read.</summary>
    private static int EphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return Math.Clamp(int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture), Lowest + 1_000, 65_535);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
