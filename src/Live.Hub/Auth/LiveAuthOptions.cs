using System.ComponentModel.DataAnnotations;

namespace Live.Hub.Auth;

/// <summary>Bearer tokens: HS256 JWTs carrying <c>sub</c>, <c>name</c> and <c>role</c>.</summary>
public sealed class LiveAuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Serve <c>POST /api/dev/token</c>. Only the embedded mode may turn it on.</summary>
    public bool DevTokens { get; set; }

    /// <summary>The HS256 key, at least 32 bytes of UTF-8.</summary>
    [Required, MinLength(32)]
    public string SigningKey { get; set; } = "";

    [Required]
    public string Issuer { get; set; } = "redlive";

    [Required]
    public string Audience { get; set; } = "redlive";

    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(12);
}
