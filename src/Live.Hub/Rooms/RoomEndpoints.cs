using Live.Contracts;
using Live.Contracts.Rooms;
using Live.Hub.Api;
using Live.Hub.Identity;

namespace Live.Hub.Rooms;

internal static class RoomEndpoints
{
    public static RouteGroupBuilder MapRooms(this RouteGroupBuilder api)
    {
        api.MapGet("/rooms", (string? status, IGrainFactory grains) =>
        {
            if (status is not null && !RoomStatus.IsKnown(status))
            {
                throw LiveException.Invalid("status must be scheduled, live or ended");
            }

            return grains.GetGrain<IRoomDirectoryGrain>(0).ListAsync(status);
        });

        api.MapGet("/rooms/{roomId}", async (string roomId, HttpContext http, IGrainFactory grains, ChatPrivacy privacy, TimeProvider time) =>
        {
            var snapshot = (await grains.Room(roomId).GetSnapshotAsync()).At(time.GetUtcNow());
            return http.User.Identity?.IsAuthenticated == true ? snapshot : privacy.ForAnonymous(snapshot);
        });

        var hosts = api.MapGroup("").RequireAuthorization(LivePolicies.Host).RequireRateLimiting(RestRateLimits.RoomWrites);
        hosts.MapPost("/rooms", async (NewRoom body, LiveUser host, IGrainFactory grains) =>
        {
            var id = Ids.New("room");
            var room = await grains.GetGrainByKey<ILiveRoomGrain>(id).CreateAsync(host.UserId, body);
            return TypedResults.Created($"/api/rooms/{id}", room);
        });

        hosts.MapPost("/rooms/{roomId}/start", (string roomId, LiveUser host, IGrainFactory grains) =>
            grains.Room(roomId).StartAsync(host.UserId));

        hosts.MapPost("/rooms/{roomId}/end", (string roomId, LiveUser host, IGrainFactory grains) =>
            grains.Room(roomId).EndAsync(host.UserId));

        hosts.MapPost("/rooms/{roomId}/pin", (string roomId, PinRequest body, LiveUser host, IGrainFactory grains) =>
            grains.Room(roomId).PinAsync(host.UserId, body.ProductId!));

        hosts.MapDelete("/rooms/{roomId}/pin", (string roomId, LiveUser host, IGrainFactory grains) =>
            grains.Room(roomId).UnpinAsync(host.UserId));

        return api;
    }
}
