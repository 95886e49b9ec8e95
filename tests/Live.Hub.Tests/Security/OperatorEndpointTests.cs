using System.Net;
using Live.Hub.Tests.Infrastructure;

namespace Live.Hub.Tests.Security;

/// <summary><c>/metrics</c>, <c>/dashboard</c> and <c>/openapi</c>: the operator role on the public port, or a management port of their own.</summary>
[Collection(ServerCollection.Name)]
public sealed class OperatorEndpointTests(ServerFixture fixture)
{
    // "/dashboard/", not "/dashboard": the latter redirects there, and HttpClient drops the bearer token on a redirect.
    private static readonly string[] Paths = ["/metrics", "/dashboard/", "/openapi/v1.json"];

    private LiveServer Server => fixture.Server;

    [Fact]
    public async Task OperatorEndpointsAnswerOnlyTheOperatorRoleOnThePublicPort()
    {
        using var viewer = Server.Client(Server.Token("curious-viewer"));
        using var host = Server.Client(Server.Token("curious-host", "host"));
        using var operatorClient = Server.Client(Server.Token("ops-1", "operator"));
        foreach (var path in Paths)
        {
            await Problems.AssertAsync(await Server.Http.GetAsync(path), HttpStatusCode.Unauthorized, "unauthenticated");
            await Problems.AssertAsync(await viewer.GetAsync(path), HttpStatusCode.Forbidden, "forbidden");
            await Problems.AssertAsync(await host.GetAsync(path), HttpStatusCode.Forbidden, "forbidden");
            Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await Server.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task WithAManagementPortOperatorEndpointsAnswerThereAndNowhereElse()
    {
        var port = LoopbackPorts.Pick();
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string?> { ["Telemetry:ManagementPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var management = BearerClient.Create(new Uri($"http://127.0.0.1:{port}"), token: null);
        using var operatorOnPublic = server.Client(server.Token("ops-2", "operator"));
        foreach (var path in Paths)
        {
            Assert.Equal(HttpStatusCode.OK, (await management.GetAsync(path)).StatusCode);
            await Problems.AssertAsync(await server.Http.GetAsync(path), HttpStatusCode.NotFound, "not_found");
            await Problems.AssertAsync(await operatorOnPublic.GetAsync(path), HttpStatusCode.NotFound, "not_found");
        }

        // The management port serves health but not the API or the viewer.
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/health/live")).StatusCode);
        await Problems.AssertAsync(await management.GetAsync("/api/rooms"), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/api/rooms")).StatusCode);
    }
}
