namespace Live.Client.Streams;

/// <summary>Where a room's stream stands: the arguments of <c>ResumeRoom(roomId, epoch, seq)</c>.</summary>
public sealed record ResumePoint(string Epoch, long Seq);
