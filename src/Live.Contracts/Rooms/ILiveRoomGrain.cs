using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;

namespace Live.Contracts.Rooms;

/// <summary>
/// A live room, keyed by room id: its lifecycle, pinned product, chat, likes, viewer count and active flash sales.
/// Host actions take the caller's user id and refuse anyone but the room's host.
/// </summary>
[Alias("live.ILiveRoomGrain")]
public interface ILiveRoomGrain : IGrainWithStringKey
{
    [Alias("Create"), RetrySafe]
    Task<Room> CreateAsync(string hostId, NewRoom room);

    [Alias("GetRoom"), ReadOnly]
    Task<Room> GetRoomAsync();

    [Alias("GetSnapshot"), ReadOnly]
    Task<RoomSnapshot> GetSnapshotAsync();

    /// <summary>
    /// The snapshot for a viewer joining, with the room's <c>epoch</c> and the <c>seq</c> of the last event it
    /// reflects; a banned user is refused (<c>forbidden</c>).
    /// </summary>
    [Alias("Join"), ReadOnly]
    Task<RoomSnapshot> JoinAsync(string? userId);

    /// <summary>
    /// A viewer who has seen the room's events up to <paramref name="seq"/> of <paramref name="epoch"/>: every event
    /// after it when the room still retains them all, its snapshot otherwise; a banned user is refused
    /// (<c>forbidden</c>), a negative <paramref name="seq"/> is <c>invalid_argument</c>.
    /// </summary>
    [Alias("Resume"), ReadOnly]
    Task<RoomCatchUp> ResumeAsync(string? userId, string epoch, long seq);

    /// <summary>
    /// Another grain's event for this room's viewers (a sale's progress and end): the room numbers it and sends it in
    /// its stream. Answered once numbered, so the caller knows it arrived and sends it again if the call failed (not
    /// one-way: a lost one-way call was a lost event no viewer could see as a gap).
    /// </summary>
    [Alias("Announce")]
    Task AnnounceAsync(RoomEvent roomEvent);

    /// <summary>
    /// Refuses (<c>forbidden</c>) a user banned from this room an offer made in it (a cart item added from the room);
    /// a room that does not exist bans no one.
    /// </summary>
    [Alias("RequireMayBuy"), ReadOnly]
    Task RequireMayBuyAsync(string userId);

    /// <summary>The host assigns (or removes) a moderator of this room; the same call again changes nothing more.</summary>
    [Alias("AssignModerator"), RetrySafe]
    Task<ModerationView> AssignModeratorAsync(string hostId, string userId, bool assigned);

    [Alias("GetModeration"), ReadOnly]
    Task<ModerationView> GetModerationAsync(Actor actor);

    /// <summary>
    /// Removes a message from recent chat and tells the room (<c>ChatDeleted</c>); false if unknown. A message already
    /// deleted (one of the last <c>Rooms:RecentChatSize</c> deletions, kept with the room) answers true again and tells
    /// no one twice, so the same call sent again (a retry across a silo's loss) is answered as the first.
    /// </summary>
    [Alias("DeleteChat"), RetrySafe]
    Task<bool> DeleteChatAsync(Actor actor, string messageId);

    /// <summary>
    /// Mutes a user for <paramref name="seconds"/> from now (0 unmutes): a setting, not an increment, so the same call
    /// again leaves the same mute.
    /// </summary>
    [Alias("Mute"), RetrySafe]
    Task<ModerationView> MuteAsync(Actor actor, string userId, int seconds);

    /// <summary>
    /// Bans (or unbans) a user: their connections leave the room and they cannot re-join or chat. Banning the banned
    /// changes nothing and tells no one again.
    /// </summary>
    [Alias("Ban"), RetrySafe]
    Task<ModerationView> BanAsync(Actor actor, string userId, bool banned);

    /// <summary>Sets the slow mode (seconds between one user's messages; 0 turns it off).</summary>
    [Alias("SetSlowMode"), RetrySafe]
    Task<ModerationView> SetSlowModeAsync(Actor actor, int seconds);

    /// <summary>Replaces the blocked words with <paramref name="words"/>.</summary>
    [Alias("SetBlockedWords"), RetrySafe]
    Task<ModerationView> SetBlockedWordsAsync(Actor actor, IReadOnlyList<string> words);

    [Alias("Start"), RetrySafe]
    Task<Room> StartAsync(string hostId);

    /// <summary>Ends the stream and every sale still open in it.</summary>
    [Alias("End"), RetrySafe]
    Task<Room> EndAsync(string hostId);

    /// <summary>
    /// Pins a product the host sells and tells the room (<c>ProductPinned</c>); sent again, it pins the same product and
    /// tells the room again (a viewer shows the same card).
    /// </summary>
    [Alias("Pin"), RetrySafe]
    Task<RoomSnapshot> PinAsync(string hostId, string productId);

    /// <summary>Unpins the pinned product; with none pinned it changes nothing and tells no one.</summary>
    [Alias("Unpin"), RetrySafe]
    Task<RoomSnapshot> UnpinAsync(string hostId);

    /// <summary>
    /// Starts a flash sale of a product the host sells, with the id <paramref name="saleId"/> that the hub server gave
    /// it: the same call sent again (a retry across a silo's loss) answers that sale and starts no second one.
    /// </summary>
    [Alias("StartFlashSale"), RetrySafe]
    Task<FlashSale> StartFlashSaleAsync(string hostId, NewFlashSale sale, string saleId);

    /// <summary>
    /// Sends a chat message. <paramref name="messageId"/> is the hub server's, new per message: the same call sent again
    /// (a retry across a silo's loss) is answered with the message first sent, which is not sent twice.
    /// </summary>
    [Alias("SendChat"), RetrySafe]
    Task<ChatMessage> SendChatAsync(Caller caller, string text, string messageId);

    /// <summary>
    /// Adds likes; answers the room's new total. <paramref name="likeId"/> is the hub server's, new per call: the same
    /// call sent again adds nothing and is answered as the first (the total after it).
    /// </summary>
    [Alias("Like"), RetrySafe]
    Task<long> LikeAsync(Caller caller, int count, string likeId);

    /// <summary>A hub server's count of this room's viewers connected to it; hubs re-report periodically.</summary>
    [Alias("ReportViewers"), OneWay]
    Task ReportViewersAsync(string hubId, int viewers);

    /// <summary>A sale of this room changed (progress, end); keeps the snapshot's active sales current.</summary>
    [Alias("SaleChanged"), OneWay]
    Task SaleChangedAsync(FlashSale sale);

    /// <summary>
    /// A product this room pinned changed (its badge); a live room still showing it re-sends <c>ProductPinned</c>.
    /// </summary>
    [Alias("ProductChanged"), OneWay]
    Task ProductChangedAsync(Product product);
}
