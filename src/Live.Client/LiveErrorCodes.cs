namespace Live.Client;

/// <summary>The protocol's error codes (PROTOCOL.md): the <see cref="LiveProtocolException.Code"/> of a refused call.</summary>
public static class LiveErrorCodes
{
    public const string InvalidArgument = "invalid_argument";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string Conflict = "conflict";
    public const string RateLimited = "rate_limited";

    /// <summary>Part of the cluster was lost mid-call (PROTOCOL "Error code unavailable"): it may or may not have happened.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>Every code of the protocol.</summary>
    public static IReadOnlyList<string> All { get; } = [InvalidArgument, Unauthenticated, Forbidden, NotFound, Conflict, RateLimited, Unavailable];
}
