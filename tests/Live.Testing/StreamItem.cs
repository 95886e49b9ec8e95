namespace Live.Testing;

/// <summary>
/// One numbered thing of a room's event stream as a client sees it: a chat message (<see cref="Id"/> its message id)
/// or another room event (<see cref="Id"/> what it is about, when it is about something: the product, the sale).
/// </summary>
public sealed record StreamItem(string Event, long Seq, string? Id);
