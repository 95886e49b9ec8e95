using Microsoft.AspNetCore.SignalR;

namespace Live.Client;

/// <summary>
/// The server refused a hub call with one of the protocol's codes (<see cref="LiveErrorCodes"/>): nothing changed on
/// the server. SignalR puts its own sentence before the server's "code: message"
/// (<c>... HubException: rate_limited: slow down</c>); this is what follows it.
/// </summary>
public sealed class LiveProtocolException(string code, string detail, Exception? inner = null)
    : Exception($"{code}: {detail}", inner)
{
    /// <summary>What SignalR puts before the server's own "code: message".</summary>
    public const string Marker = "HubException: ";

    /// <summary><c>invalid_argument</c>, <c>unauthenticated</c>, <c>forbidden</c>, <c>not_found</c>, <c>conflict</c> or <c>rate_limited</c>.</summary>
    public string Code { get; } = code;

    /// <summary>The server's message after the code.</summary>
    public string Detail { get; } = detail;

    /// <summary>The protocol's refusal in <paramref name="exception"/>'s message, or null when it carries none.</summary>
    public static LiveProtocolException? From(Exception exception)
    {
        var message = exception.Message;
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        var refusal = at < 0 ? message : message[(at + Marker.Length)..];
        var colon = refusal.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var code = refusal[..colon];
        if (!LiveErrorCodes.All.Contains(code))
        {
            return null;
        }

        return new LiveProtocolException(code, refusal[(colon + 1)..].TrimStart(), exception);
    }

    /// <summary>The refusal of a hub call, or null when <paramref name="exception"/> is something else (a lost connection, say).</summary>
    internal static LiveProtocolException? FromHub(Exception exception) =>
        exception is HubException ? From(exception) : null;
}
