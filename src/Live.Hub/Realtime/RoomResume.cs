using Live.Contracts.Rooms;

namespace Live.Hub.Realtime;

/// <summary>
/// <c>ResumeRoom</c>'s answer (PROTOCOL v1.3): <c>{ resumed: true, epoch, seq, events, snapshot: null }</c> with every
/// event after the client's seq, or <c>{ resumed: false, epoch, seq, events: null, snapshot }</c> to start again from.
/// </summary>
public sealed record RoomResume(bool Resumed, string Epoch, long Seq, IReadOnlyList<RoomEventFrame>? Events, RoomSnapshot? Snapshot);
