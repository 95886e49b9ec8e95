namespace Live.Hub.Realtime;

/// <summary>
/// One room event as data (PROTOCOL v1.3's <c>{ event, seq, data }</c> of a <c>RoomResume</c>): the live event's name,
/// its number, and its live argument.
/// </summary>
/// <param name="Event">The event's name on the wire (an <see cref="ILiveClient"/> method).</param>
/// <param name="Seq">Its number; for a <c>ChatBatch</c>, its last message's.</param>
/// <param name="Data">The live argument, with its <c>seq</c> (and <c>serverTime</c> where it has one) stamped.</param>
public sealed record RoomEventFrame(string Event, long Seq, object Data);
