using Live.Contracts;
using Microsoft.AspNetCore.Mvc;

namespace Live.Hub.Api;

/// <summary>
/// The one shape of every REST refusal (RFC 7807 problem details whose <c>type</c> and <c>title</c> are the
/// PROTOCOL.md code), whoever refuses: a handler's exception, an authorization policy, a rate limit, a body limit.
/// </summary>
internal static class LiveProblems
{
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.InvalidArgument => StatusCodes.Status400BadRequest,
        ErrorCodes.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Conflict => StatusCodes.Status409Conflict,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Writes the problem; <paramref name="status"/> overrides the code's usual status (413 for a body too large).</summary>
    public static ValueTask<bool> WriteAsync(HttpContext http, string code, string detail, int? status = null, Exception? exception = null)
    {
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        var statusCode = status ?? StatusOf(code);
        http.Response.StatusCode = statusCode;
        return problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Type = code, Title = code, Status = statusCode, Detail = detail },
        });
    }
}
