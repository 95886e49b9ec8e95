using System.Globalization;
using Live.Contracts;
using Live.Hosting;
using Live.Hub.Api;
using Live.Hub.Identity;

namespace Live.Hub.Operations;

/// <summary>
/// Where <c>/metrics</c>, <c>/dashboard</c> and <c>/openapi</c> answer: by default on the public port to the operator
/// role (policy <see cref="LivePolicies.Operator"/>); with <c>Telemetry:ManagementPort</c>, on that port only, to
/// anyone who can reach it (a Prometheus scraper has no token), and not at all on the public port.
/// </summary>
internal static class ManagementEndpoints
{
    /// <summary>Adds the management port to the addresses Kestrel listens on, next to the public ones.</summary>
    public static void ListenOnManagementPort(WebApplicationBuilder builder, LiveTelemetryOptions telemetry)
    {
        if (telemetry.ManagementPort == 0)
        {
            return;
        }

        var urls = builder.Configuration["urls"];
        if (string.IsNullOrWhiteSpace(urls))
        {
            // Containers name ports instead (ASPNETCORE_HTTP_PORTS); setting urls would silence those, so carry them over.
            var ports = builder.Configuration["http_ports"];
            urls = string.IsNullOrWhiteSpace(ports)
                ? "http://localhost:5000"
                : string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://*:{p.Trim()}"));
        }

        builder.WebHost.UseUrls($"{urls};http://{telemetry.ManagementAddress}:{telemetry.ManagementPort.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>The guard every operator endpoint gets.</summary>
    public static Action<IEndpointConventionBuilder> Guard(LiveTelemetryOptions telemetry) =>
        telemetry.ManagementPort == 0
            ? endpoint => endpoint.RequireAuthorization(LivePolicies.Operator)
            : endpoint => endpoint.WithMetadata(ManagementOnly.Instance);

    /// <summary>Marks an endpoint served on the management port only.</summary>
    internal sealed class ManagementOnly
    {
        public static readonly ManagementOnly Instance = new();
    }
}

/// <summary>
/// With a management port, answers 404 to an operator endpoint asked on any other port, and to anything but operator
/// and health endpoints asked on the management port. Checks the port the connection arrived on, not the Host header
/// (which the caller writes).
/// </summary>
internal sealed class ManagementPortFilter(RequestDelegate next, int managementPort)
{
    public Task InvokeAsync(HttpContext context)
    {
        var onManagementPort = context.Connection.LocalPort == managementPort;
        var endpoint = context.GetEndpoint();
        var managementOnly = endpoint?.Metadata.GetMetadata<ManagementEndpoints.ManagementOnly>() is not null;
        var health = context.Request.Path.StartsWithSegments("/health");
        if (managementOnly == onManagementPort || (onManagementPort && health))
        {
            return next(context);
        }

        return LiveProblems.WriteAsync(context, ErrorCodes.NotFound, "not served on this port").AsTask();
    }
}
