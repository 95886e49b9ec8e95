using System.Collections.Concurrent;
using System.Security.Claims;
using Live.Hub.Identity;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;

namespace Live.Testing;

/// <summary>
/// A hub connection's caller for tests of hub code without a server: a signed-in user with the claims a token gives
/// (subject, display name, role), and the connection's own items, thread-safe as SignalR's are.
/// </summary>
public sealed class FakeHubCaller(string connectionId, string userId, string? role = null) : HubCallerContext
{
    public override string ConnectionId => connectionId;

    public override string? UserIdentifier => userId;

    public override ClaimsPrincipal? User { get; } = new(new ClaimsIdentity(
        [new Claim(LiveUser.SubjectClaim, userId), new Claim(LiveUser.NameClaim, "Caller " + userId), .. role is null ? Array.Empty<Claim>() : [new Claim(LiveUser.RoleClaim, role)]],
        "test",
        LiveUser.NameClaim,
        LiveUser.RoleClaim));

    public override IDictionary<object, object?> Items { get; } = new ConcurrentDictionary<object, object?>();

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override CancellationToken ConnectionAborted => CancellationToken.None;

    public override void Abort()
    {
    }
}
