namespace Live.Hub;

/// <summary>The REST API's log messages (generated: no formatting or boxing while the level is off).</summary>
internal static partial class LiveHubLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "{Method} {Path} answered unavailable: {Failure}: {Reason}")]
    public static partial void Unavailable(ILogger logger, string method, string path, string failure, string reason);
}
