using Live.Contracts;
using Live.Hub.Identity;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Realtime;

/// <summary>
/// The caller of a hub connection, read from its claims once per connection. A SignalR connection's user is fixed when
/// it connects (its token is checked then, and an expired one ends the connection rather than changing its user), so
/// the claim lookups and the display name's text check need not be redone at every call: in a rush they were a few per
/// cent of the server's CPU and of its allocations (docs/PERF.md §22).
/// </summary>
internal static class HubCaller
{
    private static readonly object UserKey = new();

    /// <summary>The caller, or null for an anonymous connection; see <see cref="LiveUser.From"/>.</summary>
    public static LiveUser? From(HubCallerContext caller)
    {
        if (caller.Items.TryGetValue(UserKey, out var known))
        {
            return (LiveUser?)known;
        }

        // A display name that breaks the text rules throws here every time (and the connection is refused at connect).
        var user = LiveUser.From(caller.User);
        caller.Items[UserKey] = user;
        return user;
    }

    /// <summary>The caller, or <c>unauthenticated</c>.</summary>
    public static LiveUser Require(HubCallerContext caller) =>
        From(caller) ?? throw LiveException.Unauthenticated("a bearer token is required");
}
