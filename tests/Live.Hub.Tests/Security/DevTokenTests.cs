using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Live.Hub.Tests.Security;

/// <summary>
/// <c>POST /api/dev/token</c> hands any identity and role to anyone: the Development environment serves it (the
/// README's run command), and nothing else starts with it on.
/// </summary>
public sealed class DevTokenTests
{
    private static readonly string RealKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    [Fact]
    public async Task TheDevelopmentEnvironmentServesDevTokensThatCreateProducts()
    {
        await using var server = await LiveServer.StartAsync();
        var token = await server.Http.PostAsJsonAsync("/api/dev/token", new { userId = "dev-host", displayName = "Dev", role = "host" })
            .ReadAsync<TokenAnswer>();
        using var host = server.Client(token.Token);
        Assert.Equal(HttpStatusCode.Created, (await host.PostAsJsonAsync("/api/products", new { name = "Balm", brand = "Acme", price = 1.5m, stock = 1 })).StatusCode);
    }

    [Fact]
    public async Task AProductionServerWithARealKeyServesNoDevTokens()
    {
        // The probe of the review: Production with a random 48-byte key used to mint a host token here.
        await using var server = await LiveServer.StartAsync(
            new Dictionary<string, string?> { ["Auth:SigningKey"] = RealKey }, environment: Environments.Production);
        var response = await server.Http.PostAsJsonAsync("/api/dev/token", new { userId = "intruder", displayName = "I", role = "host" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("Production", null, null, "Development environment")]
    [InlineData("Staging", null, null, "Development environment")]
    [InlineData("Development", "real-key", null, "development signing key")]
    [InlineData("Development", null, "https://login.example.com/realms/shop", "Auth:Authority")]
    public async Task DevTokensAreRefusedAtStartUpOutsideDevelopmentOrWithRealCredentials(string environment, string? key, string? authority, string reason)
    {
        var settings = new Dictionary<string, string?> { ["Auth:DevTokens"] = "true" };
        if (key is not null)
        {
            settings["Auth:SigningKey"] = RealKey;
        }
        else if (environment != Environments.Development)
        {
            settings["Auth:SigningKey"] = Identity.LiveAuthOptions.DevelopmentKey;
        }

        if (authority is not null)
        {
            settings["Auth:Authority"] = authority;
        }

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => LiveServer.StartAsync(settings, environment: environment));
        Assert.Contains(reason, error.Message);
    }

    private sealed record TokenAnswer(string Token);
}
