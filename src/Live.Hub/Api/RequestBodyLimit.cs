using Live.Contracts;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Live.Hub.Api;

/// <summary>
/// Refuses a body over the endpoint's <see cref="IRequestSizeLimitMetadata"/> (the API group's
/// <see cref="RestBodyOptions"/>) after authentication, authorization and rate limiting and before the handler binds
/// it: a declared length over the limit gets a 413 problem at once, the body unread. Routing already hands the limit
/// to Kestrel, which cuts off an undeclared (chunked) body at the limit while it is read (the exception handler answers
/// that with the same problem); without this check a declared one would be refused only once binding starts reading.
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is not { MaxRequestBodySize: { } limit })
        {
            return next(context);
        }

        if (context.Request.ContentLength > limit)
        {
            context.Response.Headers.Connection = "close";
            return LiveProblems.WriteAsync(
                context, ErrorCodes.InvalidArgument, $"the request body is larger than {limit} bytes", StatusCodes.Status413PayloadTooLarge).AsTask();
        }

        return next(context);
    }
}

/// <summary>The API group's body limit, read from <see cref="RestBodyOptions"/>.</summary>
internal sealed record RequestBodySizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata
{
    public static RequestBodySizeLimit From(IServiceProvider services) =>
        new(services.GetRequiredService<IOptions<RestBodyOptions>>().Value.MaxRequestBodyBytes);
}
