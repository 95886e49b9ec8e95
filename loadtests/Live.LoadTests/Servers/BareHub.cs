using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Live.LoadTests.Servers;

/// <summary>
/// Plain SignalR, nothing behind it: the same method names and payloads as RedLive's hub, one group send per chat
/// message and an echo for purchases, so the load scenarios run unchanged against it.
/// </summary>
public sealed class BareHub : Microsoft.AspNetCore.SignalR.Hub
{
    public const string Path = "/hubs/bare";

    public Task JoinRoom(string roomId) => Groups.AddToGroupAsync(Context.ConnectionId, Group(roomId));

    public async Task<ChatMessage> SendChat(string roomId, string text)
    {
        var message = new ChatMessage
        {
            Id = Guid.NewGuid().ToString("N"),
            RoomId = roomId,
            UserId = Context.UserIdentifier ?? "bare",
            DisplayName = "bare",
            Text = text.Trim(),
            SentAt = DateTimeOffset.UtcNow,
        };
        await Clients.Group(Group(roomId)).SendAsync("ChatBatch", new[] { message });
        return message;
    }

    /// <summary>The rush baseline: answers a purchase-shaped result at once, with no inventory behind it.</summary>
    public PurchaseResult Echo(string saleId, int quantity, string requestId) =>
        new() { Status = PurchaseStatus.Confirmed, OrderId = requestId, Quantity = quantity, Remaining = 0 };

    private static string Group(string roomId) => $"room:{roomId}";
}
