using Live.Client.Models;

namespace Live.Client.Streams;

/// <summary>The live argument's type of each room event, and a resume answer's events turned into stream items.</summary>
public static class RoomEventDecoder
{
    /// <summary>
    /// The items of one resumed event: each message of a <c>ChatBatch</c> with its own seq (the entry's when the
    /// message has none), any other event as one item. An event this client does not know keeps its raw
    /// <see cref="EventData"/>, so a newer server's additions pass through rather than fail.
    /// </summary>
    public static IEnumerable<RoomStreamItem> Items(ResumedEvent entry)
    {
        var data = entry.Data;
        if (data is null)
        {
            yield break;
        }

        switch (entry.Event)
        {
            case LiveHubNames.ChatBatch:
                foreach (var message in data.As<List<ChatMessage>>() ?? [])
                {
                    yield return new RoomStreamItem(entry.Event, message.Seq ?? entry.Seq, message);
                }

                break;
            default:
                yield return new RoomStreamItem(entry.Event, entry.Seq, Decode(entry.Event, data));
                break;
        }
    }

    /// <summary>The argument of the room event <paramref name="eventName"/> read in its type.</summary>
    public static object Decode(string eventName, EventData data) => eventName switch
    {
        LiveHubNames.ProductPinned => Read<Product>(data),
        LiveHubNames.ProductUnpinned => Read<RoomRef>(data),
        LiveHubNames.FlashSaleStarted or LiveHubNames.FlashSaleEnded => Read<FlashSale>(data),
        LiveHubNames.FlashSaleUpdated => Read<FlashSaleProgress>(data),
        LiveHubNames.ViewerCount => Read<ViewerCountUpdate>(data),
        LiveHubNames.LikesUpdated => Read<LikesUpdate>(data),
        LiveHubNames.StreamStarted or LiveHubNames.StreamEnded => Read<Room>(data),
        LiveHubNames.ChatDeleted => Read<ChatDeletion>(data),
        _ => data,
    };

    private static T Read<T>(EventData data)
        where T : class =>
        data.As<T>() ?? throw new InvalidDataException($"a resumed {typeof(T).Name} event without data");
}
