using Live.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Realtime;

/// <summary>
/// Turns a refusal into the <c>HubException</c> PROTOCOL.md promises ("code: message"), and is the one place where a
/// hub call's failure is logged: a refusal at debug with a counter, a silo's loss that outlived the retries or storage
/// out of reach (<see cref="Unavailability"/>) as <c>unavailable</c> at warning, a real fault at error with its stack trace.
/// </summary>
/// <remarks>
/// SignalR's dispatcher logs every exception a hub method throws at error, with its stack trace, refusals included;
/// <see cref="LiveHubExtensions"/> raises that one category's threshold (see <see cref="DispatcherCategory"/>) so
/// that its message is not written twice, and this filter writes what it should be.
/// </remarks>
internal sealed class LiveExceptionHubFilter(LiveHubMetrics metrics, ILogger<LiveExceptionHubFilter> logger) : IHubFilter
{
    /// <summary>The logger category of SignalR's hub dispatcher, whose only message above debug is a failed invocation.</summary>
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var method = invocationContext.HubMethodName;
        try
        {
            return await next(invocationContext);
        }
        catch (LiveException ex)
        {
            metrics.Refused(ex.Code, method);
            RealtimeLog.CallRefused(logger, method, ex.Code, ex.Message);
            throw new HubException($"{ex.Code}: {ex.Message}");
        }
        catch (Exception ex) when (Unavailability.Detail(ex) is { } detail)
        {
            metrics.Refused(ErrorCodes.Unavailable, method);
            RealtimeLog.CallUnavailable(logger, method, ex.GetType().Name, ex.Message);
            throw new HubException($"{ErrorCodes.Unavailable}: {detail}");
        }
        catch (Exception ex)
        {
            RealtimeLog.CallFailed(logger, ex, method);
            throw;
        }
    }
}
