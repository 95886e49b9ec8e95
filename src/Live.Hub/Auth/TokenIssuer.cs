using System.Text;
using Live.Contracts;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Live.Hub.Auth;

/// <summary>Signs tokens with the configured key: the development token endpoint, tests and tools use it.</summary>
public sealed class TokenIssuer(IOptions<LiveAuthOptions> options, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public string Issue(string userId, string displayName, string role)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + settings.DevTokenLifetime,
            Claims = new Dictionary<string, object>
            {
                [LiveUser.SubjectClaim] = userId,
                [LiveUser.NameClaim] = displayName,
                [LiveUser.RoleClaim] = role,
            },
            SigningCredentials = new SigningCredentials(SigningKey(settings.SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }

    public static SymmetricSecurityKey SigningKey(string key) => new(Encoding.UTF8.GetBytes(key));
}

/// <summary><c>POST /api/dev/token</c>'s body.</summary>
public sealed record DevTokenRequest(string? UserId, string? DisplayName, string? Role);

/// <summary><c>POST /api/dev/token</c>'s answer.</summary>
public sealed record DevTokenResponse(string Token);

internal static class DevTokenEndpoints
{
    public static IEndpointRouteBuilder MapDevTokens(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/dev/token", (DevTokenRequest body, TokenIssuer issuer) =>
        {
            Ids.Require(body.UserId, "userId");
            var name = TextRules.Require(body.DisplayName, "displayName", 50);
            if (!Roles.IsKnown(body.Role))
            {
                throw LiveException.Invalid("role must be viewer, host or moderator");
            }

            return new DevTokenResponse(issuer.Issue(body.UserId!, name, body.Role!));
        }).WithTags("Development").AllowAnonymous();
        return app;
    }
}
