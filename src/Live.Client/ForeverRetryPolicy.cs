using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Client;

/// <summary>A live room is worth coming back to: reconnect quickly first (0, 1, 2, 5 s), then every 10 s, forever.</summary>
public sealed class ForeverRetryPolicy : IRetryPolicy
{
    private static readonly TimeSpan[] Delays = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

    public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
        retryContext.PreviousRetryCount < Delays.Length ? Delays[retryContext.PreviousRetryCount] : TimeSpan.FromSeconds(10);
}
