using System.Text;
using Microsoft.Extensions.Options;

namespace Live.Hub.Identity;

/// <summary>
/// Refuses to start with a key anyone could know: outside the embedded development mode (dev tokens off) the
/// development key and weak keys (short, or few distinct characters) are errors, as is dev tokens outside embedded.
/// </summary>
public sealed class LiveAuthOptionsValidator(IConfiguration configuration) : IValidateOptions<LiveAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveAuthOptions options)
    {
        var mode = configuration[$"{LiveHubOptions.SectionName}:{nameof(LiveHubOptions.Mode)}"] ?? HubModes.Embedded;
        if (options.DevTokens && mode != HubModes.Embedded)
        {
            return ValidateOptionsResult.Fail("Auth:DevTokens may only be on in the embedded mode (Hub:Mode=Embedded)");
        }

        if (!string.IsNullOrWhiteSpace(options.Authority))
        {
            return ValidateOptionsResult.Success;
        }

        var key = options.SigningKey ?? "";
        if (Encoding.UTF8.GetByteCount(key) < 32)
        {
            return ValidateOptionsResult.Fail("Auth:SigningKey must be at least 32 bytes (or set Auth:Authority)");
        }

        if (!options.DevTokens && (key == LiveAuthOptions.DevelopmentKey || key.Distinct().Count() < 10))
        {
            return ValidateOptionsResult.Fail(
                "Auth:SigningKey is the development key or a weak one; set a random secret of at least 32 bytes (e.g. openssl rand -base64 48)");
        }

        return ValidateOptionsResult.Success;
    }
}
