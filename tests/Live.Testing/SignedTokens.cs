using Live.Hub.Identity;
using Microsoft.Extensions.Options;

namespace Live.Testing;

/// <summary>
/// Tokens for a server started as a process, signed with the key it was given (<c>Auth:SigningKey</c>), as an
/// operator's own issuer would sign them: no development token endpoint needed.
/// </summary>
public sealed class SignedTokens(string signingKey)
{
    private readonly TokenIssuer _issuer = new(
        Options.Create(new LiveAuthOptions { SigningKey = signingKey, Issuer = "redlive", Audience = "redlive" }),
        TimeProvider.System);

    public string Issue(string userId, string role = "viewer", string? name = null) => _issuer.Issue(userId, name ?? userId, role);
}
