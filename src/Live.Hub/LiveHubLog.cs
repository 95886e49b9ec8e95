namespace Live.Hub;

/// <summary>The REST API's log messages (generated: no formatting or boxing while the level is off).</summary>
internal static partial class LiveHubLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string path);
}
