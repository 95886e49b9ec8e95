using Live.Contracts;
using Live.Contracts.Rooms;
using Live.Grains.Rooms;
using Live.Grains.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Live.Grains.Tests.Rooms;

public sealed class RoomLifecycleTests
{
    private const string RoomId = "room-1";
    private const string HostId = "host-1";

    private readonly FakeTimeProvider _time = new();
    private readonly RoomLifecycle _lifecycle = new(RoomId);

    [Fact]
    public void ANewRoomIsScheduled()
    {
        var room = _lifecycle.Create(null, HostId, new NewRoom { Title = "  Spring drop ", Description = "Line one\nLine two" }, _time.GetUtcNow());

        Assert.Equal(
            new Room
            {
                Id = RoomId,
                HostId = HostId,
                Title = "Spring drop",
                Description = "Line one\nLine two",
                Status = RoomStatus.Scheduled,
                CreatedAt = _time.GetUtcNow(),
            },
            room);
    }

    [Fact]
    public void ItsHostsSameCreationSentAgainAnswersTheRoom()
    {
        var room = _lifecycle.Create(null, HostId, new NewRoom { Title = "Spring drop", Description = "Lines" }, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Same(room, _lifecycle.Create(room, HostId, new NewRoom { Title = " Spring drop", Description = "Lines " }, _time.GetUtcNow()));
        Refusal.Expect(ErrorCodes.Conflict, "room room-1 already exists",
            () => _lifecycle.Create(room, "host-2", new NewRoom { Title = "Spring drop", Description = "Lines" }, _time.GetUtcNow()));
        Refusal.Expect(ErrorCodes.Conflict, "room room-1 already exists",
            () => _lifecycle.Create(room, HostId, new NewRoom { Title = "Spring drop" }, _time.GetUtcNow()));
    }

    [Fact]
    public void ARoomIsCreatedOnce()
    {
        var room = Scheduled();

        Refusal.Expect(ErrorCodes.Conflict, "room room-1 already exists",
            () => _lifecycle.Create(room, HostId, new NewRoom { Title = "Again" }, _time.GetUtcNow()));
    }

    [Fact]
    public void ARoomNeedsATitle()
    {
        Refusal.Expect(ErrorCodes.InvalidArgument, "title must be 1 to 120 characters",
            () => _lifecycle.Create(null, HostId, new NewRoom { Title = " " }, _time.GetUtcNow()));
    }

    [Fact]
    public void StartingAScheduledRoomMakesItLive()
    {
        var room = Scheduled();
        _time.Advance(TimeSpan.FromSeconds(1));

        var live = _lifecycle.Start(room, _time.GetUtcNow());

        Assert.Equal(room with { Status = RoomStatus.Live, StartedAt = _time.GetUtcNow() }, live);
    }

    [Fact]
    public void StartingALiveRoomChangesNothing()
    {
        var live = _lifecycle.Start(Scheduled(), _time.GetUtcNow())!;

        Assert.Null(_lifecycle.Start(live, _time.GetUtcNow()));
    }

    [Fact]
    public void AnEndedRoomCannotStartAgain()
    {
        var ended = RoomLifecycle.End(_lifecycle.Start(Scheduled(), _time.GetUtcNow())!, _time.GetUtcNow());

        Refusal.Expect(ErrorCodes.Conflict, "room room-1 has ended and cannot start again",
            () => _lifecycle.Start(ended, _time.GetUtcNow()));
    }

    [Fact]
    public void EndingARoomKeepsWhenItStarted()
    {
        var live = _lifecycle.Start(Scheduled(), _time.GetUtcNow())!;
        _time.Advance(TimeSpan.FromMinutes(5));

        var ended = RoomLifecycle.End(live, _time.GetUtcNow());

        Assert.Equal(live with { Status = RoomStatus.Ended, EndedAt = _time.GetUtcNow() }, ended);
        Assert.True(RoomLifecycle.HasEnded(ended));
        Assert.False(RoomLifecycle.HasEnded(live));
    }

    [Fact]
    public void AMissingRoomIsNotFound()
    {
        Refusal.Expect(ErrorCodes.NotFound, "room room-1 not found", () => _lifecycle.Current(null));
        Refusal.Expect(ErrorCodes.NotFound, "room room-1 not found", () => _lifecycle.RequireHost(null, HostId));
        Refusal.Expect(ErrorCodes.NotFound, "room room-1 not found", () => _lifecycle.RequireOpen(null));
    }

    [Fact]
    public void OnlyTheHostDrivesTheRoom()
    {
        var room = Scheduled();

        Assert.Same(room, _lifecycle.RequireHost(room, HostId));
        Refusal.Expect(ErrorCodes.Forbidden, "only the host of room room-1 may do that",
            () => _lifecycle.RequireHost(room, "someone-else"));
    }

    [Fact]
    public void PinsAndSalesNeedALiveRoom()
    {
        var scheduled = Scheduled();
        var live = _lifecycle.Start(scheduled, _time.GetUtcNow())!;
        var ended = RoomLifecycle.End(live, _time.GetUtcNow());

        Assert.Same(live, _lifecycle.RequireLiveHost(live, HostId));
        Refusal.Expect(ErrorCodes.Conflict, "room room-1 is not live", () => _lifecycle.RequireLiveHost(scheduled, HostId));
        Refusal.Expect(ErrorCodes.Conflict, "room room-1 is not live", () => _lifecycle.RequireLiveHost(ended, HostId));
        Refusal.Expect(ErrorCodes.Forbidden, "only the host of room room-1 may do that",
            () => _lifecycle.RequireLiveHost(live, "someone-else"));
    }

    [Fact]
    public void ChatAndLikesAreOpenUntilTheRoomEnds()
    {
        var scheduled = Scheduled();
        var live = _lifecycle.Start(scheduled, _time.GetUtcNow())!;

        Assert.Same(scheduled, _lifecycle.RequireOpen(scheduled));
        Assert.Same(live, _lifecycle.RequireOpen(live));
        Refusal.Expect(ErrorCodes.Conflict, "room room-1 has ended",
            () => _lifecycle.RequireOpen(RoomLifecycle.End(live, _time.GetUtcNow())));
    }

    private Room Scheduled() => _lifecycle.Create(null, HostId, new NewRoom { Title = "Spring drop" }, _time.GetUtcNow());
}
