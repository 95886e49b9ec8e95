using System.Collections.Concurrent;
using System.Reflection;
using Live.Contracts;
using Live.Contracts.Rooms;
using Live.Hub.Realtime;
using Live.Hub.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Live.Hub.Tests.Hub;

/// <summary>
/// <see cref="RoomHubHandler"/>'s entry into a room on its own, with a room that answers or fails as the test says: a
/// refused join or resume undoes only what that call did (a viewer already in the room stays in it, and keeps its
/// events), and the connection is marked joined before the room is asked, so a ban that lands meanwhile finds it.
/// </summary>
public sealed class RoomEntryTests
{
    private const string RoomId = "room_entry";

    private readonly ConnectionRegistry _registry = new();
    private readonly Groups _groups = new();
    private readonly Room _room = new();

    [Fact]
    public async Task AFailedCatchUpOfAViewerInTheRoomLeavesItInTheRoomsGroupAndJoined()
    {
        var handler = Handler();
        var viewer = new FakeHubCaller("conn-viewer", "user-viewer");
        _registry.Connected(viewer.ConnectionId, "user-viewer");
        await handler.JoinRoomAsync(viewer, _groups, RoomId);

        // The catch-up after a gap: the room cannot answer (its write broke, say).
        _room.Failure = new StorageUnavailableException("could not append to ledger liveroom/room_entry: SocketClosed");
        await Assert.ThrowsAsync<StorageUnavailableException>(() => handler.ResumeRoomAsync(viewer, _groups, RoomId, "epoch-1", 3));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => handler.JoinRoomAsync(viewer, _groups, RoomId));

        // Still in the group (the room's events still reach it) and still joined (its chat is still taken).
        Assert.Contains(viewer.ConnectionId, _groups.Members(RoomGroups.Name(RoomId)));
        Assert.True(_registry.IsJoined(viewer.ConnectionId, RoomId));
    }

    [Fact]
    public async Task ARefusalForGoodTakesAViewerAlreadyInTheRoomOut()
    {
        var handler = Handler();
        var viewer = new FakeHubCaller("conn-refused", "user-refused");
        _registry.Connected(viewer.ConnectionId, "user-refused");
        await handler.JoinRoomAsync(viewer, _groups, RoomId);

        // Banned meanwhile, and the hub's removal of its connections was lost: the room's refusal of the catch-up
        // takes the connection out of the group and the room.
        _room.Failure = LiveException.Forbidden($"you are banned from room {RoomId}");
        await Assert.ThrowsAsync<LiveException>(() => handler.ResumeRoomAsync(viewer, _groups, RoomId, "epoch-1", 3));

        Assert.Empty(_groups.Members(RoomGroups.Name(RoomId)));
        Assert.False(_registry.IsJoined(viewer.ConnectionId, RoomId));
    }

    [Fact]
    public async Task AFailedFirstJoinLeavesNothingBehind()
    {
        var handler = Handler();
        var viewer = new FakeHubCaller("conn-new", "user-new");
        _registry.Connected(viewer.ConnectionId, "user-new");
        _room.Failure = LiveException.NotFound($"room {RoomId} not found");

        await Assert.ThrowsAsync<LiveException>(() => handler.JoinRoomAsync(viewer, _groups, RoomId));

        Assert.Empty(_groups.Members(RoomGroups.Name(RoomId)));
        Assert.False(_registry.IsJoined(viewer.ConnectionId, RoomId));
    }

    [Fact]
    public async Task AConnectionIsJoinedWhileTheRoomAnswersSoABanMeanwhileFindsIt()
    {
        var handler = Handler();
        var viewer = new FakeHubCaller("conn-banned", "user-banned");
        _registry.Connected(viewer.ConnectionId, "user-banned");
        bool? joinedWhileAsked = null;
        _room.WhileAnswering = () => joinedWhileAsked = _registry.IsJoined(viewer.ConnectionId, RoomId) && _registry.ConnectionsOf("user-banned").Contains(viewer.ConnectionId);

        await handler.JoinRoomAsync(viewer, _groups, RoomId);

        Assert.True(joinedWhileAsked);
    }

    private RoomHubHandler Handler()
    {
        var options = Options.Create(new LiveHubOptions());
        var grains = DispatchProxy.Create<IGrainFactory, Factory>();
        ((Factory)(object)grains).Room = _room.Proxy;

        // Presence is only counted into on this path; its grain calls run in its background loop, never started here.
        var presence = UnstartedPresence.Create(options);
        return new RoomHubHandler(
            grains,
            presence,
            _registry,
            new UserRateLimiter(Options.Create(new RateLimitOptions())),
            new LiveHubMetrics(presence),
            new ChatPrivacy(),
            TimeProvider.System,
            options);
    }

    /// <summary>A room grain that answers a join and a resume, or throws <see cref="Failure"/>.</summary>
    internal sealed class Room
    {
        public Room()
        {
            Proxy = DispatchProxy.Create<ILiveRoomGrain, RoomProxy>();
            ((RoomProxy)(object)Proxy).Owner = this;
        }

        public ILiveRoomGrain Proxy { get; }

        public Exception? Failure { get; set; }

        public Action? WhileAnswering { get; set; }

        public object? Answer(string method)
        {
            WhileAnswering?.Invoke();
            if (Failure is { } failure)
            {
                return method == nameof(ILiveRoomGrain.JoinAsync) ? Task.FromException<RoomSnapshot>(failure) : Task.FromException<RoomCatchUp>(failure);
            }

            var snapshot = new RoomSnapshot
            {
                Room = new Contracts.Rooms.Room { Id = RoomId, HostId = "host-1", Title = "Entry", Status = RoomStatus.Live },
                ActiveSales = [],
                RecentChat = [],
                Viewers = 1,
            };
            return method switch
            {
                nameof(ILiveRoomGrain.JoinAsync) => Task.FromResult(snapshot),
                nameof(ILiveRoomGrain.ResumeAsync) => Task.FromResult(new RoomCatchUp { Resumed = false, Epoch = "epoch-1", Seq = 0, Snapshot = snapshot }),
                _ => throw new NotSupportedException(method),
            };
        }
    }

    public class RoomProxy : DispatchProxy
    {
        internal Room? Owner { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Owner!.Answer(targetMethod!.Name);
    }

    /// <summary>Every grain asked for is the test's room.</summary>
    public class Factory : DispatchProxy
    {
        internal ILiveRoomGrain? Room { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(IGrainFactory.GetGrain) ? Room : throw new NotSupportedException(targetMethod.Name);
    }

    private sealed class Groups : IGroupManager
    {
        private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _members = new();

        public IReadOnlyCollection<string> Members(string group) => [.. _members.GetOrAdd(group, _ => new()).Keys];

        public Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
        {
            _members.GetOrAdd(groupName, _ => new())[connectionId] = true;
            return Task.CompletedTask;
        }

        public Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
        {
            _members.GetOrAdd(groupName, _ => new()).TryRemove(connectionId, out _);
            return Task.CompletedTask;
        }
    }
}
