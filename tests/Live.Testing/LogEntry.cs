using Microsoft.Extensions.Logging;

namespace Live.Testing;

/// <summary>One captured log message.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);
