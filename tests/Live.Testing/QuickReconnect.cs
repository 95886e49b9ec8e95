using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Testing;

/// <summary>A test client's reconnect policy: every quarter second, until the test ends (its outages are short and bounded).</summary>
public sealed class QuickReconnect : IRetryPolicy
{
    public TimeSpan? NextRetryDelay(RetryContext retryContext) => TimeSpan.FromMilliseconds(250);
}
