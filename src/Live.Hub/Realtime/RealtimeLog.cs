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
}
