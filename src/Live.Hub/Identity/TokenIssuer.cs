using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Live.Hub.Identity;

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
