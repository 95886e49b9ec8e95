using Live.Contracts;
using Live.Hub.Api;
using Microsoft.AspNetCore.Diagnostics;

namespace Live.Hub;

/// <summary>
/// Every refusal becomes RFC 7807 problem details whose <c>type</c> is the stable PROTOCOL.md code:
/// a <see cref="LiveException"/> carries its code; a body that does not bind is <c>invalid_argument</c>, and one over
/// the size limit (Kestrel stops reading it) <c>invalid_argument</c> with status 413; a silo's loss that outlived the
/// retries or storage out of reach (<see cref="Unavailability"/>) <c>unavailable</c> with status 503, never 500.
/// </summary>
internal sealed class LiveExceptionHandler(ILogger<LiveExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (code, detail, status) = exception switch
        {
            LiveException live => (live.Code, live.Message, (int?)null),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (
                ErrorCodes.InvalidArgument, "the request body is larger than this call accepts", StatusCodes.Status413PayloadTooLarge),
            BadHttpRequestException bad => (ErrorCodes.InvalidArgument, BadRequestDetail(bad), null),
            _ when Unavailability.Detail(exception) is { } unavailable => (ErrorCodes.Unavailable, unavailable, null),
            _ => ("internal", "the server could not complete the request", null),
        };

        if (code == "internal")
        {
            LiveHubLog.Unhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        else if (code == ErrorCodes.Unavailable)
        {
            LiveHubLog.Unavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name, exception.Message);
            httpContext.Response.Headers.RetryAfter = "1";
        }

        return await LiveProblems.WriteAsync(httpContext, code, detail, status, exception);
    }

    /// <summary>What a client is told when a silo's loss outlived the retries (or the call was not safe to retry).</summary>
    public const string UnavailableDetail = Unavailability.SiloLossDetail;

    private static string BadRequestDetail(BadHttpRequestException bad) =>
        bad.InnerException is System.Text.Json.JsonException
            ? "the request body is not JSON of the expected shape"
            : bad.Message;
}
