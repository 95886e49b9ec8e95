using System.ComponentModel.DataAnnotations;

namespace Live.Hub.Delivery;

/// <summary>The frame budget for chat (<c>Hub:FrameBudget</c>): how many chat frames a second this hub server aims to send.</summary>
public sealed class FrameBudgetOptions
{
    public const string SectionName = "Hub:FrameBudget";

    /// <summary>
    /// Chat frames a second (one frame to one connection counts one) this server aims to stay under across its busy rooms.
    /// </summary>
    [Range(100, 10_000_000)]
    public int FramesPerSecond { get; set; } = 20_000;

    /// <summary>The shortest wait between two chat frames of a room: zero sends a small room's chat as it comes.</summary>
    public TimeSpan MinChatInterval { get; set; } = TimeSpan.Zero;

    /// <summary>The longest wait between two chat frames of a room, however many viewers it has here.</summary>
    public TimeSpan MaxChatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many chat frames a room may keep unspent (<see cref="ChatPacer"/>): chat that finds one leaves at once; a room
    /// that keeps sending faster than its interval is paced at one frame per interval once they are spent.
    /// </summary>
    [Range(1, 1000)]
    public int ChatBurst { get; set; } = 3;

    /// <summary>A room's held chat leaves at once when it reaches this many messages.</summary>
    [Range(1, 10_000)]
    public int MaxChatPerFrame { get; set; } = 500;
}
