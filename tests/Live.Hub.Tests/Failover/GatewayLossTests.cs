using Live.Hosting.Failover;

namespace Live.Hub.Tests.Failover;

public sealed class GatewayLossTests
{
    [Fact]
    public void LosingAGatewayCancelsTheTokenOfCallsInFlightAndOnlyThose()
    {
        var loss = new GatewayLoss();
        var inFlight = loss.Token;

        loss.GatewayCountChanged(connected: 3, previouslyConnected: 2);
        Assert.False(inFlight.IsCancellationRequested);

        loss.GatewayCountChanged(connected: 1, previouslyConnected: 2);
        Assert.True(inFlight.IsCancellationRequested);
        Assert.False(loss.Token.IsCancellationRequested);
        Assert.Equal(1, loss.Losses);
    }
}
