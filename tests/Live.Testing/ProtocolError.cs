using System.Text.Json;

namespace Live.Testing;

/// <summary>
/// The protocol's error code out of what a client receives (docs/PROTOCOL.md): on the hub, the word after
/// <c>HubException: </c> up to the next colon; on the REST API, the problem details' <c>type</c>.
/// </summary>
public static class ProtocolError
{
    /// <summary>What SignalR puts before the server's own "code: message".</summary>
    public const string Marker = "HubException: ";

    /// <summary>
    /// The server's refusal ("code: message") out of a hub error, which SignalR prefixes with its own sentence
    /// ("An unexpected error occurred invoking 'X' on the server. HubException: code: message"); null when the text
    /// carries no server refusal.
    /// </summary>
    public static string? Refusal(Exception exception)
    {
        var at = exception.Message.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? null : exception.Message[(at + Marker.Length)..];
    }

    /// <summary>The protocol's code of a hub error (<c>rate_limited</c>, <c>not_found</c>, ...); null when there is none.</summary>
    public static string? Code(Exception exception)
    {
        var refusal = Refusal(exception);
        var colon = refusal?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 ? refusal![..colon] : null;
    }

    /// <summary>The code of a REST refusal: the <c>type</c> of its problem details (<paramref name="json"/>).</summary>
    public static string? ProblemType(string json)
    {
        using var problem = JsonDocument.Parse(json);
        return problem.RootElement.GetProperty("type").GetString();
    }
}
