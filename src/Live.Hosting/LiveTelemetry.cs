using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace Live.Hosting;

public static class LiveTelemetry
{
    /// <summary>RedLive's own meters; their instruments are listed in docs/OPERATIONS.md.</summary>
    public static readonly string[] Meters = ["RedLive.Hub", "RedLive.Grains"];

    private static readonly string[] FrameworkMeters =
    [
        "Microsoft.Orleans",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.SignalR",
    ];

    private static readonly string[] TraceSources =
    [
        "Microsoft.Orleans.Runtime",
        "Microsoft.Orleans.Application",
        "Microsoft.AspNetCore.SignalR.Server",
    ];

    /// <summary>
    /// OpenTelemetry metrics and traces for this process: RedLive's meters, Orleans (grain calls, messaging),
    /// ASP.NET Core and SignalR, the runtime. Prometheus scraping when <c>Telemetry:Prometheus</c>; traces, and OTLP
    /// export of traces and metrics, when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public static IHostApplicationBuilder AddLiveTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Services.AddOptions<LiveTelemetryOptions>().BindConfiguration(LiveTelemetryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(LiveTelemetryOptions.SectionName).Get<LiveTelemetryOptions>() ?? new();
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: $"{Environment.MachineName}-{Environment.ProcessId}"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters).AddMeter(FrameworkMeters).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation();
                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });

        // Traces only when they go somewhere: a registered listener makes every hub invocation and grain call
        // (two per purchase) build an Activity, which is measurable on the rush's hot path (docs/PERF.md §8).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.WithTracing(tracing => tracing.AddSource(TraceSources).AddAspNetCoreInstrumentation());
            otel.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// <c>/health/live</c> (the process runs), <c>/health/ready</c> and <c>/health</c> (it can serve: cluster and Redis
    /// reachable), <c>/metrics</c> and <c>/dashboard</c> when switched on; <paramref name="guard"/> is applied to these
    /// two (a hub server puts them behind the operator role or on its management port; health stays open for load
    /// balancers and orchestrators).
    /// </summary>
    public static IEndpointRouteBuilder MapLiveOperations(this IEndpointRouteBuilder app, bool hostsSilo, Action<IEndpointConventionBuilder>? guard = null)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready");
        app.MapHealthChecks("/health");
        var options = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<LiveTelemetryOptions>>().Value;
        if (options.Prometheus)
        {
            var metrics = app.MapPrometheusScrapingEndpoint("/metrics");
            guard?.Invoke(metrics);
        }

        if (options.Dashboard && hostsSilo)
        {
            var dashboard = app.MapOrleansDashboard("/dashboard");
            guard?.Invoke(dashboard);
        }

        return app;
    }

    /// <summary>Whether the configuration asks for the dashboard (the silo builder must add it before start).</summary>
    public static bool DashboardWanted(IConfiguration configuration) =>
        configuration.GetSection(LiveTelemetryOptions.SectionName).Get<LiveTelemetryOptions>()?.Dashboard == true;
}
