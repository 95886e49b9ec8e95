using System.ComponentModel.DataAnnotations;

namespace Live.Hub.Auth;

/// <summary>Bearer tokens: HS256 JWTs carrying <c>sub</c>, <c>name</c> and <c>role</c>.</summary>
public sealed class LiveAuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Serve <c>POST /api/dev/token</c>. Only the embedded mode may turn it on.</summary>
    public bool DevTokens { get; set; }

    /// <summary>The key of the embedded development mode's appsettings.json; never valid without dev tokens.</summary>
    public const string DevelopmentKey = "redlive-embedded-development-key-not-for-production";

    /// <summary>The HS256 key, at least 32 bytes of UTF-8. Not needed when <see cref="Authority"/> is set.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// An OpenID Connect issuer (e.g. https://login.example.com/realms/shop): tokens are then checked against its
    /// published keys instead of <see cref="SigningKey"/>.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>Require HTTPS for the authority's metadata (turn off only for a local test issuer).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    [Required]
    public string Issuer { get; set; } = "redlive";

    [Required]
    public string Audience { get; set; } = "redlive";

    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(12);
}

/// <summary>
/// Refuses to start with a key anyone could know: outside the embedded development mode (dev tokens off) the
/// development key and weak keys (short, or few distinct characters) are errors, as is dev tokens outside embedded.
/// </summary>
public sealed class LiveAuthOptionsValidator(Microsoft.Extensions.Configuration.IConfiguration configuration)
    : Microsoft.Extensions.Options.IValidateOptions<LiveAuthOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, LiveAuthOptions options)
    {
        var mode = configuration[$"{LiveHubOptions.SectionName}:{nameof(LiveHubOptions.Mode)}"] ?? HubModes.Embedded;
        if (options.DevTokens && mode != HubModes.Embedded)
        {
            return Microsoft.Extensions.Options.ValidateOptionsResult.Fail("Auth:DevTokens may only be on in the embedded mode (Hub:Mode=Embedded)");
        }

        if (!string.IsNullOrWhiteSpace(options.Authority))
        {
            return Microsoft.Extensions.Options.ValidateOptionsResult.Success;
        }

        var key = options.SigningKey ?? "";
        if (System.Text.Encoding.UTF8.GetByteCount(key) < 32)
        {
            return Microsoft.Extensions.Options.ValidateOptionsResult.Fail("Auth:SigningKey must be at least 32 bytes (or set Auth:Authority)");
        }

        if (!options.DevTokens && (key == LiveAuthOptions.DevelopmentKey || key.Distinct().Count() < 10))
        {
            return Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
                "Auth:SigningKey is the development key or a weak one; set a random secret of at least 32 bytes (e.g. openssl rand -base64 48)");
        }

        return Microsoft.Extensions.Options.ValidateOptionsResult.Success;
    }
}
