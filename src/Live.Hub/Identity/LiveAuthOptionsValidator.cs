using System.Text;
using Microsoft.Extensions.Options;

namespace Live.Hub.Identity;

/// <summary>
/// Refuses to start with tokens anyone could mint. Dev tokens (anyone gets any identity and role) only in the
/// Development environment, in the embedded mode, with the development key and no authority: a real key or an
/// authority means real users, whom a dev token could impersonate. Without dev tokens, the development key and weak
/// keys (short, or few distinct characters) are errors.
/// </summary>
public sealed class LiveAuthOptionsValidator(IConfiguration configuration, IHostEnvironment environment) : IValidateOptions<LiveAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveAuthOptions options)
    {
        if (options.DevTokens)
        {
            return ValidateDevTokens(options);
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

        if (key == LiveAuthOptions.DevelopmentKey || key.Distinct().Count() < 10)
        {
            return ValidateOptionsResult.Fail(
                "Auth:SigningKey is the development key or a weak one; set a random secret of at least 32 bytes (e.g. openssl rand -base64 48)");
        }

        return ValidateOptionsResult.Success;
    }

    private ValidateOptionsResult ValidateDevTokens(LiveAuthOptions options)
    {
        var mode = configuration[$"{LiveHubOptions.SectionName}:{nameof(LiveHubOptions.Mode)}"] ?? HubModes.Embedded;
        if (mode != HubModes.Embedded)
        {
            return ValidateOptionsResult.Fail("Auth:DevTokens may only be on in the embedded mode (Hub:Mode=Embedded)");
        }

        if (!environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail(
                $"Auth:DevTokens may only be on in the Development environment (this is {environment.EnvironmentName}); issue tokens from your identity provider");
        }

        if (!string.IsNullOrWhiteSpace(options.Authority))
        {
            return ValidateOptionsResult.Fail("Auth:DevTokens cannot be on with Auth:Authority: dev tokens would impersonate the authority's users");
        }

        if (options.SigningKey != LiveAuthOptions.DevelopmentKey)
        {
            return ValidateOptionsResult.Fail(
                "Auth:DevTokens needs the development signing key: with a key of your own, dev tokens would impersonate your users");
        }

        return ValidateOptionsResult.Success;
    }
}
