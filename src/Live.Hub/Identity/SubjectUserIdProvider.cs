using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Identity;

/// <summary><c>Clients.User(id)</c> addresses the token's <c>sub</c>.</summary>
internal sealed class SubjectUserIdProvider : IUserIdProvider
{
    // The subject alone, not a LiveUser: this runs during the handshake, before HubPolicyFilter can refuse a bad name.
    public string? GetUserId(HubConnectionContext connection) =>
        connection.User?.Identity?.IsAuthenticated == true ? connection.User.FindFirstValue(LiveUser.SubjectClaim) : null;
}
