using Live.Contracts;
using Live.Contracts.Rooms;
using Live.Hub.Api;
using Live.Hub.Identity;
using Live.Hub.Rooms;

namespace Live.Hub.Moderation;

/// <summary>
/// The host's and moderators' calls on a room (RedLive's extension of the protocol). The policies admit a role; the
/// room grain checks that the caller is this room's host or one of its moderators.
/// </summary>
internal static class ModerationEndpoints
{
    /// <summary>The longest mute PROTOCOL.md allows through REST: a week.</summary>
    private const int MaxMuteSeconds = 604_800;

    public static RouteGroupBuilder MapModeration(this RouteGroupBuilder api)
    {
        var hosts = api.MapGroup("").RequireAuthorization(LivePolicies.Host).RequireRateLimiting(RestRateLimits.ModerationWrites);
        hosts.MapPut("/rooms/{roomId}/moderators/{userId}", (string roomId, string userId, LiveUser host, IGrainFactory grains) =>
            grains.Room(roomId).AssignModeratorAsync(host.UserId, userId, assigned: true));

        hosts.MapDelete("/rooms/{roomId}/moderators/{userId}", (string roomId, string userId, LiveUser host, IGrainFactory grains) =>
            grains.Room(roomId).AssignModeratorAsync(host.UserId, userId, assigned: false));

        var staff = api.MapGroup("").RequireAuthorization(LivePolicies.Staff);
        staff.MapGet("/rooms/{roomId}/moderation", (string roomId, LiveUser user, IGrainFactory grains) =>
            grains.Room(roomId).GetModerationAsync(Actor(user)));

        var staffWrites = staff.MapGroup("").RequireRateLimiting(RestRateLimits.ModerationWrites);
        staffWrites.MapDelete("/rooms/{roomId}/chat/{messageId}", async (string roomId, string messageId, LiveUser user, IGrainFactory grains) =>
        {
            if (!await grains.Room(roomId).DeleteChatAsync(Actor(user), messageId))
            {
                throw LiveException.NotFound($"message {messageId} is not in the room's recent chat");
            }

            return Results.NoContent();
        });

        staffWrites.MapPost("/rooms/{roomId}/mutes", (string roomId, MuteRequest body, LiveUser user, IGrainFactory grains) =>
            grains.Room(roomId).MuteAsync(Actor(user), body.UserId!, body.DurationSeconds is >= 1 and <= MaxMuteSeconds
                ? body.DurationSeconds.Value
                : throw LiveException.Invalid($"durationSeconds must be 1 to {MaxMuteSeconds} (DELETE the mute to lift it)")));

        staffWrites.MapDelete("/rooms/{roomId}/mutes/{userId}", (string roomId, string userId, LiveUser user, IGrainFactory grains) =>
            grains.Room(roomId).MuteAsync(Actor(user), userId, 0));

        staffWrites.MapPost("/rooms/{roomId}/bans", (string roomId, BanRequest body, LiveUser user, IGrainFactory grains) =>
            grains.Room(roomId).BanAsync(Actor(user), body.UserId!, banned: true));

        staffWrites.MapDelete("/rooms/{roomId}/bans/{userId}", (string roomId, string userId, LiveUser user, IGrainFactory grains) =>
            grains.Room(roomId).BanAsync(Actor(user), userId, banned: false));

        staffWrites.MapPut("/rooms/{roomId}/slow-mode", (string roomId, SlowModeRequest body, LiveUser user, IGrainFactory grains) =>
            grains.Room(roomId).SetSlowModeAsync(Actor(user), body.Seconds ?? throw LiveException.Invalid("seconds is required (0 turns slow mode off)")));

        staffWrites.MapPut("/rooms/{roomId}/blocked-words", (string roomId, BlockedWordsRequest body, LiveUser user, IGrainFactory grains) =>
            grains.Room(roomId).SetBlockedWordsAsync(Actor(user), body.Words ?? throw LiveException.Invalid("words is required")));
        return api;
    }

    private static Actor Actor(LiveUser user) => new() { UserId = user.UserId, IsModerator = user.Role == Roles.Moderator };
}
