namespace Live.Contracts;

/// <summary>The stable error codes of PROTOCOL.md; every refusal carries one.</summary>
public static class ErrorCodes
{
    public const string InvalidArgument = "invalid_argument";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string Conflict = "conflict";
    public const string RateLimited = "rate_limited";

    /// <summary>
    /// The server could not reach the part of the cluster that holds the answer in time (a silo died and is being
    /// replaced): nothing is known to have happened, and the same call may be sent again (503, <c>Retry-After</c>).
    /// </summary>
    public const string Unavailable = "unavailable";
}
