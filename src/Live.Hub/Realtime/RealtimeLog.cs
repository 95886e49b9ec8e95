namespace Live.Hub.Realtime;

/// <summary>The realtime path's log messages (generated: no formatting or boxing while the level is off).</summary>
internal static partial class RealtimeLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Reporting viewer counts failed")]
    public static partial void ViewerReportFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Registering hub {HubId} in the hub directory failed; retrying")]
    public static partial void RegisterFailed(ILogger logger, Exception exception, string hubId);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Unregistering hub {HubId} failed")]
    public static partial void UnregisterFailed(ILogger logger, Exception exception, string hubId);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Sending {Event} to room {RoomId} failed")]
    public static partial void SendFailed(ILogger logger, Exception exception, string @event, string roomId);

    // A refusal is the protocol answering bad or abusive input, not a fault: debug, without a stack trace, counted by
    // redlive.hub.refusals. One abusive client must not fill the logs.
    [LoggerMessage(EventId = 4301, Level = LogLevel.Debug, Message = "Hub call {Method} refused: {Code}: {Reason}")]
    public static partial void CallRefused(ILogger logger, string method, string code, string reason);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Error, Message = "Hub call {Method} failed")]
    public static partial void CallFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 4309, Level = LogLevel.Warning, Message = "Hub call {Method} answered unavailable: {Failure}: {Reason}")]
    public static partial void CallUnavailable(ILogger logger, string method, string failure, string reason);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Debug, Message = "Hub connection refused ({Limit}): {Reason}")]
    public static partial void ConnectionRefused(ILogger logger, string limit, string reason);
}
