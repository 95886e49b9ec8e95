using Live.Client.Protocol;
using Live.Hosting;
using Live.Hub.Api;
using Live.Hub.Carts;
using Live.Hub.Catalog;
using Live.Hub.Delivery;
using Live.Hub.Identity;
using Live.Hub.Moderation;
using Live.Hub.Operations;
using Live.Hub.Realtime;
using Live.Hub.Rooms;
using Live.Hub.Sales;
using Live.Hub.Sellers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace Live.Hub;

public static class LiveHubExtensions
{
    public const string HubPath = "/hubs/live";

    /// <summary>Everything a RedLive hub server needs: Orleans (embedded silo or client), auth, SignalR, the API.</summary>
    public static WebApplicationBuilder AddLiveHub(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LiveHubOptions>().BindConfiguration(LiveHubOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LiveAuthOptions>().BindConfiguration(LiveAuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<LiveAuthOptions>, LiveAuthOptionsValidator>();
        services.AddOptions<RestBodyOptions>().BindConfiguration(RestBodyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        var hubOptions = builder.Configuration.GetSection(LiveHubOptions.SectionName).Get<LiveHubOptions>() ?? new();
        var redis = builder.Configuration.GetSection(LiveRedisOptions.SectionName).Get<LiveRedisOptions>() ?? new();
        if (hubOptions.Mode == HubModes.Client)
        {
            builder.AddLiveClusterClient();
        }
        else
        {
            builder.AddLiveSilo();
        }

        services.TryAddSingleton(TimeProvider.System);
        var hubId = string.IsNullOrWhiteSpace(hubOptions.HubId)
            ? $"hub-{Environment.ProcessId}-{Guid.NewGuid():N}"
            : hubOptions.HubId;
        var backplane = hubOptions.Backplane == Backplanes.Redis ? $"redis:{redis.KeyPrefix}" : $"local:{hubId}";
        services.AddSingleton(new HubIdentity(hubId, backplane));

        AddAuth(builder);
        services.AddLiveRestRateLimits();
        var telemetry = builder.Configuration.GetSection(LiveTelemetryOptions.SectionName).Get<LiveTelemetryOptions>() ?? new();
        ManagementEndpoints.ListenOnManagementPort(builder, telemetry);

        var signalR = services.AddSignalR(o =>
            {
                o.MaximumReceiveMessageSize = hubOptions.MaxMessageSize;
                o.EnableDetailedErrors = false;
                o.AddFilter<LiveExceptionHubFilter>();
                o.AddFilter<HubCallLimitFilter>();
                o.AddFilter<HubPolicyFilter>();
            })
            .AddJsonProtocol()
            .AddMessagePackProtocol(o => o.SerializerOptions = LiveMessagePack.Options);
        if (hubOptions.Backplane == Backplanes.Redis)
        {
            if (string.IsNullOrWhiteSpace(redis.ConnectionString))
            {
                throw new InvalidOperationException("Hub:Backplane=Redis needs Redis:ConnectionString");
            }

            signalR.AddStackExchangeRedis(redis.ConnectionString, o =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal($"{redis.KeyPrefix}signalr");
                o.Configuration.AbortOnConnectFail = false;
            });
        }

        services.AddCodedBindingErrors();
        services.AddLiveDelivery(redisBackplane: hubOptions.Backplane == Backplanes.Redis);

        // The hub filter logs each failed call once, as what it is (LiveExceptionHubFilter); the dispatcher's own
        // error-level copy, stack trace included, would log every refusal as a fault.
        builder.Logging.AddFilter(LiveExceptionHubFilter.DispatcherCategory, LogLevel.Critical);
        builder.AddLiveRedisHealth(hubOptions.Backplane == Backplanes.Redis);
        services.AddSingleton<LiveExceptionHubFilter>();
        services.AddSingleton<HubCallLimitFilter>();
        services.AddSingleton<HubPolicyFilter>();
        services.AddSingleton<ChatPrivacy>();
        services.AddSingleton<IUserIdProvider, SubjectUserIdProvider>();
        services.AddSingleton<LiveHubMetrics>();
        services.AddSingleton<UserRateLimiter>();
        services.AddSingleton<RoomPresence>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddHostedService(sp => sp.GetRequiredService<RoomPresence>());
        services.AddSingleton<ConnectionHubHandler>();
        services.AddSingleton<RoomHubHandler>();
        services.AddSingleton<PurchaseBatcher>();
        services.AddSingleton<SaleHubHandler>();
        services.AddSingleton<CartHubHandler>();
        services.AddSingleton<BanEnforcer>();
        services.AddSingleton<HubRoomEventObserver>();
        services.AddHostedService(sp => sp.GetRequiredService<HubRoomEventObserver>());
        services.AddHostedService<HubDirectoryRegistrar>();

        services.AddProblemDetails();
        services.AddExceptionHandler<LiveExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi();
        services.AddSingleton<SiloHealthCheck>();
        services.AddHealthChecks().AddCheck<SiloHealthCheck>("cluster");
        builder.AddLiveTelemetry("redlive-hub");
        return builder;
    }

    /// <summary>The hub, the REST API, the OpenAPI document, health and the web viewer.</summary>
    /// <remarks>
    /// Order matters: the caller is authenticated, authorized by the endpoint's policy and rate-limited by its policy
    /// (partitioned by the now-known user) before the body limit is checked, and all of that before a handler binds
    /// (reads) the body.
    /// </remarks>
    public static WebApplication MapLiveHub(this WebApplication app)
    {
        var telemetry = app.Services.GetRequiredService<IOptions<LiveTelemetryOptions>>().Value;

        // First: once the server stops, no new hub connection may hold its stop (and the rooms' handoff) up.
        app.UseMiddleware<StoppingHubGate>();
        app.UseExceptionHandler();
        if (telemetry.ManagementPort != 0)
        {
            app.UseMiddleware<ManagementPortFilter>(telemetry.ManagementPort);
        }

        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMiddleware<RequestBodyLimit>();

        var guard = ManagementEndpoints.Guard(telemetry);
        guard(app.MapOpenApi());
        app.MapLiveOperations(hostsSilo: app.Services.GetRequiredService<IOptions<LiveHubOptions>>().Value.Mode == HubModes.Embedded, guard);
        app.MapHub<LiveHub>(HubPath, o =>
        {
            o.Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling;

            // A connection lives no longer than the token it was opened with: at the token's expiry the server closes
            // it, and the client reconnects with a fresh token (or not at all, if it can no longer get one).
            o.CloseOnAuthenticationExpiration = true;
        });

        // Every call is limited: the writes by their groups' policies, everything else by the reads policy.
        var api = app.MapGroup("/api").WithTags("RedLive").WithMetadata(RequestBodySizeLimit.From(app.Services)).RequireRateLimiting(RestRateLimits.Reads);
        api.MapCatalog();
        api.MapRooms();
        api.MapSales();
        api.MapCarts();
        api.MapOrders();
        api.MapModeration();
        api.MapSellers();
        if (app.Services.GetRequiredService<IOptions<LiveAuthOptions>>().Value.DevTokens)
        {
            api.MapDevTokens();
        }

        return app;
    }

    private static void AddAuth(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddLivePolicies();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<LiveAuthOptions>>((jwt, auth) =>
            {
                var settings = auth.Value;
                jwt.MapInboundClaims = false;
                var useAuthority = !string.IsNullOrWhiteSpace(settings.Authority);
                if (useAuthority)
                {
                    jwt.Authority = settings.Authority;
                    jwt.RequireHttpsMetadata = settings.RequireHttpsMetadata;
                }

                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = useAuthority ? null : settings.Issuer,
                    ValidAudience = settings.Audience,
                    IssuerSigningKey = useAuthority ? null : TokenIssuer.SigningKey(settings.SigningKey),
                    ValidAlgorithms = useAuthority ? null : [SecurityAlgorithms.HmacSha256],
                    NameClaimType = LiveUser.NameClaim,
                    RoleClaimType = LiveUser.RoleClaim,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                jwt.Events = new JwtBearerEvents
                {
                    // Browsers cannot set headers on WebSockets: SignalR sends the token as access_token.
                    OnMessageReceived = context =>
                    {
                        var token = context.Request.Query["access_token"];
                        if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments(HubPath))
                        {
                            context.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                };
            });
    }
}
