using System.ComponentModel.DataAnnotations;

namespace Live.Hub.Identity;

/// <summary>Bearer tokens: HS256 JWTs carrying <c>sub</c>, <c>name</c> and <c>role</c>.</summary>
public sealed class LiveAuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// Serve <c>POST /api/dev/token</c>. Only the Development environment in the embedded mode, with the development
    /// key, may turn it on (appsettings.Development.json does).
    /// </summary>
    public bool DevTokens { get; set; }

    /// <summary>The key of appsettings.Development.json; valid only with dev tokens, and dev tokens only with it.</summary>
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
