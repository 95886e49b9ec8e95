using System.Text.Json.Nodes;

namespace Live.Testing;

/// <summary>An event as it came over the wire: its name and its one argument as JSON.</summary>
public sealed record RawEvent(string Target, JsonNode? Argument);
