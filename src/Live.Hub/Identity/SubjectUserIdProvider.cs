using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Identity;

/// <summary><c>Clients.User(id)</c> addresses the token's <c>sub</c>.</summary>
internal sealed class SubjectUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) => LiveUser.From(connection.User)?.UserId;
}
