
namespace Live.LoadTests.Scenarios;

/// <param name="Sent">Measured messages sent.</param>
/// <param name="Accepted">Of those, the ones the server accepted.</param>
/// <param name="Expected">Deliveries the accepted messages owe (one per viewer of the room).</param>
/// <param name="Delivered">Deliveries that arrived (at most one per viewer and message).</param>
/// <param name="Duplicates">Deliveries beyond one per viewer and message.</param>
/// <param name="OfRefused">Deliveries of messages the server refused (answered with an error).</param>
/// <param name="Unexpected">Messages that the scenario did not send or could not read.</param>
public sealed record DeliveryTally(long Sent, long Accepted, long Expected, long Delivered, long Duplicates, long OfRefused, long Unexpected)
{
    public double Ratio => Expected == 0 ? 0 : (double)Delivered / Expected;
}
