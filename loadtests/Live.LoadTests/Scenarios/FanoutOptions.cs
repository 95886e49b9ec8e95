
namespace Live.LoadTests.Scenarios;

public sealed record FanoutOptions
{
    public int Viewers { get; init; } = 1000;

    /// <summary>Distinct users who chat, round-robin; extra connections in the room besides the viewers.</summary>
    public int Chatters { get; init; } = 50;

    /// <summary>Chat messages offered per second, in all.</summary>
    public double Rate { get; init; } = 50;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(15);

    public double MinDeliveredRatio { get; init; } = 0.999;

    public double MaxP99Ms { get; init; } = 500;

    /// <summary>Raise the rate linearly from zero to <see cref="Rate"/> over the duration instead of holding it.</summary>
    public bool Ramp { get; init; }

    /// <summary>
    /// Viewers that join and then never read their socket (a small receive buffer, nothing read): the slow viewer of
    /// a real room. They are owed nothing; the others' delivery is measured as usual.
    /// </summary>
    public int Stalled { get; init; }

    /// <summary>
    /// RedLive only: likes offered per second by the chatters beside the chat, so the room's coalesced like total is
    /// one of the events its viewers receive (a latest-value event the frame budget does not pace). 0: none.
    /// </summary>
    public double Likes { get; init; }

    /// <summary>
    /// RedLive only: purchases per second by the chatters from a flash sale running in the room through the load, so
    /// the sale's progress reaches every viewer too. 0: no sale.
    /// </summary>
    public double Purchases { get; init; }
}
