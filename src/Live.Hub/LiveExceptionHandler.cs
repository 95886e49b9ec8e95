using Live.Contracts;
using Live.Hub.Api;
using Microsoft.AspNetCore.Diagnostics;

namespace Live.Hub;

/// <summary>
/// Every refusal becomes RFC 7807 problem details whose <c>type</c> is the stable PROTOCOL.md code:
/// a <see cref="LiveException"/> carries its code; a body that does not bind is <c>invalid_argument</c>, and one over
/// the size limit (Kestrel stops reading it) <c>invalid_argument</c> with status 413.
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
            _ => ("internal", "the server could not complete the request", null),
        };

        if (code == "internal")
        {
            LiveHubLog.Unhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        return await LiveProblems.WriteAsync(httpContext, code, detail, status, exception);
    }

    private static string BadRequestDetail(BadHttpRequestException bad) =>
        bad.InnerException is System.Text.Json.JsonException
            ? "the request body is not JSON of the expected shape"
            : bad.Message;
}
