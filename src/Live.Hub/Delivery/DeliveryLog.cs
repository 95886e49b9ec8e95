namespace Live.Hub.Delivery;

/// <summary>The delivery path's log messages.</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(EventId = 4401, Level = LogLevel.Error, Message = "A message of the Redis {Channel} channel could not be read: lost to this server's viewers")]
    public static partial void RelayReceiveFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Warning, Message = "Sweeping the connections' outboxes failed")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Information, Message = "Closed {Count} connections that could not take their events: a write blocked longer than {WriteTimeout}, or a must-deliver event queued longer than {MustDeliverTimeout}")]
    public static partial void ClosedBlocked(ILogger logger, int count, TimeSpan writeTimeout, TimeSpan mustDeliverTimeout);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Error, Message = "Fanning out {Count} events of room {RoomId} to this server's viewers failed: they see a gap by seq and resume")]
    public static partial void FanOutFailed(ILogger logger, Exception exception, string roomId, int count);

    [LoggerMessage(EventId = 4405, Level = LogLevel.Warning, Message = "The Redis relay's subscription to {EndPoint} failed ({FailureType}): room events published until it is restored are lost to this server's viewers, who see a gap by seq")]
    public static partial void RelaySubscriptionLost(ILogger logger, Exception? exception, string endPoint, string failureType);

    [LoggerMessage(EventId = 4406, Level = LogLevel.Information, Message = "The Redis relay's subscription to {EndPoint} is restored")]
    public static partial void RelaySubscriptionRestored(ILogger logger, string endPoint);
}
