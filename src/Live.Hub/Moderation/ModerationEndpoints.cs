using Live.Contracts;
using Live.Contracts.Rooms;
using Live.Hub.Identity;
using Live.Hub.Realtime;
using Live.Hub.Rooms;

namespace Live.Hub.Moderation;

/// <summary>The host's and moderators' calls on a room (RedLive's extension of the protocol).</summary>
internal static class ModerationEndpoints
{
    public static RouteGroupBuilder MapModeration(this RouteGroupBuilder api)
    {
        api.MapPut("/rooms/{roomId}/moderators/{userId}", (string roomId, string userId, HttpContext http, IGrainFactory grains, UserRateLimiter limits) =>
            grains.Room(roomId).AssignModeratorAsync(Host(http, limits), userId, assigned: true));

        api.MapDelete("/rooms/{roomId}/moderators/{userId}", (string roomId, string userId, HttpContext http, IGrainFactory grains, UserRateLimiter limits) =>
            grains.Room(roomId).AssignModeratorAsync(Host(http, limits), userId, assigned: false));

        api.MapGet("/rooms/{roomId}/moderation", (string roomId, HttpContext http, IGrainFactory grains) =>
            grains.Room(roomId).GetModerationAsync(Staff(http, null)));

        api.MapDelete("/rooms/{roomId}/chat/{messageId}", async (string roomId, string messageId, HttpContext http, IGrainFactory grains, UserRateLimiter limits) =>
        {
            if (!await grains.Room(roomId).DeleteChatAsync(Staff(http, limits), messageId))
            {
                throw LiveException.NotFound($"message {messageId} is not in the room's recent chat");
            }

            return Results.NoContent();
        });

        api.MapPost("/rooms/{roomId}/mutes", (string roomId, MuteRequest body, HttpContext http, IGrainFactory grains, UserRateLimiter limits) =>
            grains.Room(roomId).MuteAsync(Staff(http, limits), body.UserId!, body.DurationSeconds));

        api.MapDelete("/rooms/{roomId}/mutes/{userId}", (string roomId, string userId, HttpContext http, IGrainFactory grains, UserRateLimiter limits) =>
            grains.Room(roomId).MuteAsync(Staff(http, limits), userId, 0));

        api.MapPost("/rooms/{roomId}/bans", (string roomId, BanRequest body, HttpContext http, IGrainFactory grains, UserRateLimiter limits) =>
            grains.Room(roomId).BanAsync(Staff(http, limits), body.UserId!, banned: true));

        api.MapDelete("/rooms/{roomId}/bans/{userId}", (string roomId, string userId, HttpContext http, IGrainFactory grains, UserRateLimiter limits) =>
            grains.Room(roomId).BanAsync(Staff(http, limits), userId, banned: false));

        api.MapPut("/rooms/{roomId}/slow-mode", (string roomId, SlowModeRequest body, HttpContext http, IGrainFactory grains, UserRateLimiter limits) =>
            grains.Room(roomId).SetSlowModeAsync(Staff(http, limits), body.Seconds));

        api.MapPut("/rooms/{roomId}/blocked-words", (string roomId, BlockedWordsRequest body, HttpContext http, IGrainFactory grains, UserRateLimiter limits) =>
            grains.Room(roomId).SetBlockedWordsAsync(Staff(http, limits), body.Words ?? throw LiveException.Invalid("words is required")));
        return api;
    }

    private static string Host(HttpContext http, UserRateLimiter limits)
    {
        var user = LiveUser.RequireRole(http.User, Roles.Host);
        limits.RestWrite(user.UserId);
        return user.UserId;
    }

    /// <summary>A host or a moderator by role; the room grain checks that they are this room's host or moderator.</summary>
    private static Actor Staff(HttpContext http, UserRateLimiter? limits)
    {
        var user = LiveUser.Require(http.User);
        if (user.Role is not (Roles.Host or Roles.Moderator))
        {
            throw LiveException.Forbidden("role host or moderator is required");
        }

        limits?.RestWrite(user.UserId);
        return new Actor { UserId = user.UserId, IsModerator = user.Role == Roles.Moderator };
    }
}
