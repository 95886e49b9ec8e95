namespace Live.Contracts;

/// <summary>
/// A refusal with a protocol error code. Thrown by grains and hub code alike; the hub turns it into a
/// <c>HubException</c> ("code: message") and the REST API into problem details.
/// </summary>
[GenerateSerializer, Alias("live.LiveException")]
public sealed class LiveException : Exception
{
    public LiveException(string code, string message) : base(message) => Code = code;

    [Id(0)]
    public string Code { get; }

    public static LiveException Invalid(string message) => new(ErrorCodes.InvalidArgument, message);
    public static LiveException NotFound(string message) => new(ErrorCodes.NotFound, message);
    public static LiveException Conflict(string message) => new(ErrorCodes.Conflict, message);
    public static LiveException Forbidden(string message) => new(ErrorCodes.Forbidden, message);
    public static LiveException Unauthenticated(string message) => new(ErrorCodes.Unauthenticated, message);
    public static LiveException RateLimited(string message) => new(ErrorCodes.RateLimited, message);
}
