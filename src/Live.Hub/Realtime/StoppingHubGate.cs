namespace Live.Hub.Realtime;

/// <summary>
/// Refuses new hub connections (<c>503</c> with <c>Retry-After</c>) once this server has begun to stop, so that a
/// graceful stop (SIGTERM: a deploy) is quick and the rooms hand their retained window on (issue 12, docs/OPERATIONS.md,
/// "Graceful stop"). SignalR closes the open connections when the application starts stopping, but Kestrel keeps
/// accepting new ones until the web host stops, and a client reconnects at once (Live.Client's first retry is
/// immediate): such a late connection is closed by nobody, so the web host's stop waits for it until the host's
/// <c>ShutdownTimeout</c>, and the silo, which stops after the web host, deactivates its rooms only then. A process
/// manager that kills the server at the end of its grace period (Kubernetes' 30 s, <c>docker stop</c>'s 10 s) then
/// kills it with the rooms still active: their windows are lost and every viewer gets a snapshot of a new epoch
/// instead of the events it missed. Refused, the client retries and resumes against the server that replaces this
/// one. Hand-written: ASP.NET Core has no setting that stops accepting connections before the web host stops.
/// </summary>
internal sealed class StoppingHubGate(RequestDelegate next, IHostApplicationLifetime lifetime)
{
    /// <summary>Seconds a refused client is told to wait (its own reconnect policy decides).</summary>
    public const string RetryAfterSeconds = "1";

    public Task InvokeAsync(HttpContext context)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested && context.Request.Path.StartsWithSegments(LiveHubExtensions.HubPath))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            return Task.CompletedTask;
        }

        return next(context);
    }
}
