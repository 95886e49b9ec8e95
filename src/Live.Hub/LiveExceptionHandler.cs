using Live.Contracts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Live.Hub;

/// <summary>
/// Every refusal becomes RFC 7807 problem details whose <c>type</c> is the stable PROTOCOL.md code:
/// a <see cref="LiveException"/> carries its code; a body that does not bind is <c>invalid_argument</c>.
/// </summary>
internal sealed class LiveExceptionHandler(IProblemDetailsService problems, ILogger<LiveExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (code, detail) = exception switch
        {
            LiveException live => (live.Code, live.Message),
            BadHttpRequestException bad => (ErrorCodes.InvalidArgument, BadRequestDetail(bad)),
            _ => ("internal", "the server could not complete the request"),
        };

        if (code == "internal")
        {
            LiveHubLog.Unhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        var status = StatusOf(code);
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Type = code, Title = code, Status = status, Detail = detail },
        });
    }

    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.InvalidArgument => StatusCodes.Status400BadRequest,
        ErrorCodes.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Conflict => StatusCodes.Status409Conflict,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string BadRequestDetail(BadHttpRequestException bad) =>
        bad.InnerException is System.Text.Json.JsonException
            ? "the request body is not JSON of the expected shape"
            : bad.Message;
}
