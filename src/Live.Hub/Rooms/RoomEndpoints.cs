using Live.Contracts;
using Live.Contracts.Rooms;
using Live.Hub.Identity;

namespace Live.Hub.Rooms;

internal static class RoomEndpoints
{
    public static RouteGroupBuilder MapRooms(this RouteGroupBuilder api)
    {
        api.MapPost("/rooms", async (NewRoom body, HttpContext http, IGrainFactory grains) =>
        {
            var host = LiveUser.RequireRole(http.User, Roles.Host);
            var id = Ids.New("room");
            var room = await grains.GetGrain<ILiveRoomGrain>(id).CreateAsync(host.UserId, body);
            return TypedResults.Created($"/api/rooms/{id}", room);
        });

        api.MapGet("/rooms", (string? status, IGrainFactory grains) =>
        {
            if (status is not null && !RoomStatus.IsKnown(status))
            {
                throw LiveException.Invalid("status must be scheduled, live or ended");
            }

            return grains.GetGrain<IRoomDirectoryGrain>(0).ListAsync(status);
        });

        api.MapGet("/rooms/{roomId}", async (string roomId, IGrainFactory grains, TimeProvider time) =>
            (await grains.Room(roomId).GetSnapshotAsync()).At(time.GetUtcNow()));

        api.MapPost("/rooms/{roomId}/start", (string roomId, HttpContext http, IGrainFactory grains) =>
            grains.Room(roomId).StartAsync(Host(http)));

        api.MapPost("/rooms/{roomId}/end", (string roomId, HttpContext http, IGrainFactory grains) =>
            grains.Room(roomId).EndAsync(Host(http)));

        api.MapPost("/rooms/{roomId}/pin", (string roomId, PinRequest body, HttpContext http, IGrainFactory grains) =>
            grains.Room(roomId).PinAsync(Host(http), body.ProductId!));

        api.MapDelete("/rooms/{roomId}/pin", (string roomId, HttpContext http, IGrainFactory grains) =>
            grains.Room(roomId).UnpinAsync(Host(http)));

        return api;
    }

    private static string Host(HttpContext http) => LiveUser.RequireRole(http.User, Roles.Host).UserId;
}
