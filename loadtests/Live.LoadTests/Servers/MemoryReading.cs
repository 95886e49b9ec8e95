namespace Live.LoadTests.Servers;

public sealed record MemoryReading(long? ManagedBytes, long RssBytes);
