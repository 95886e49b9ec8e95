using System.Reflection;
using Live.Grains.Rooms;
using Live.Hosting;
using Live.Storage;
using Microsoft.Extensions.Logging;

namespace Live.Hub.Tests.Configuration;

/// <summary>
/// docs/OPERATIONS.md ("Logs") gives each part of the server a range of event ids, so that an operator can filter by
/// id: every log message of the server's assemblies has one, and no two share one (the seller's licence lines once reused the SQLite
/// storage's 6001 and 6002).
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly Assembly[] ServerAssemblies =
    [
        typeof(LiveRoomOptions).Assembly, // Live.Grains
        typeof(LiveHubOptions).Assembly, // Live.Hub
        typeof(LiveTelemetry).Assembly, // Live.Hosting
        typeof(SqliteGrainStorage).Assembly, // Live.Storage
    ];

    [Fact]
    public void EveryLogMessageOfTheServerHasAnEventIdOfItsOwn()
    {
        var messages = ServerAssemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToArray();

        Assert.True(messages.Length > 40, $"only {messages.Length} log messages found: the scan no longer sees them");
        var unnumbered = messages.Where(m => m.Attribute!.EventId <= 0).Select(m => m.Method).ToArray();
        Assert.True(unnumbered.Length == 0, "log messages without an event id: " + string.Join(", ", unnumbered));
        var shared = messages
            .GroupBy(m => m.Attribute!.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}")
            .ToArray();
        Assert.True(shared.Length == 0, "event ids used twice: " + string.Join("; ", shared));
    }
}
