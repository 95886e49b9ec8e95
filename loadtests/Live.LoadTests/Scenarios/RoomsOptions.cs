
namespace Live.LoadTests.Scenarios;

public sealed record RoomsOptions
{
    public int Rooms { get; init; } = 200;

    public int ViewersPerRoom { get; init; } = 50;

    /// <summary>Users per room who chat and buy (extra connections besides the viewers).</summary>
    public int ActivePerRoom { get; init; } = 2;

    /// <summary>
    /// Hub calls per second over all rooms; one in five is a purchase, the rest chat. Each user stays under the
    /// server's default chat limit (2/s) while Rate × 0.8 ÷ (Rooms × ActivePerRoom) does.
    /// </summary>
    public double Rate { get; init; } = 250;

    public int UnitsPerRoom { get; init; } = 20;

    public int PerUserLimit { get; init; } = 5;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

    public double MinDeliveredRatio { get; init; } = 0.999;

    public double MaxP99Ms { get; init; } = 500;
}
