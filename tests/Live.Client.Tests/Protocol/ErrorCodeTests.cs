using Live.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Live.Client.Tests.Protocol;

/// <summary>The client's copy of the protocol's error codes is the server's: a code it did not know surfaced as a plain error.</summary>
public sealed class ErrorCodeTests
{
    [Fact]
    public void TheClientKnowsEveryCodeTheServerCanAnswer()
    {
        var server = typeof(ErrorCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order();

        Assert.Equal(server, LiveErrorCodes.All.Order());
    }

    [Fact]
    public void AnUnavailableRefusalIsReadWithItsCode()
    {
        var refusal = LiveProtocolException.From(new HubException("An unexpected error occurred invoking 'BuyNow' on the server. HubException: unavailable: the silo holding sale_1 was lost; retry"));

        Assert.Equal(LiveErrorCodes.Unavailable, refusal?.Code);
    }
}
