using Microsoft.AspNetCore.SignalR;
using Xunit;

namespace Live.Testing;

/// <summary>Assertions on the hub's refusals, read with <see cref="ProtocolError"/>.</summary>
public static class HubErrors
{
    /// <summary>
    /// The server's refusal ("code: message") out of what the client sees: SignalR puts its own sentence first,
    /// "An unexpected error occurred invoking 'X' on the server. HubException: code: message".
    /// </summary>
    public static string Refusal(HubException exception)
    {
        var refusal = ProtocolError.Refusal(exception);
        Assert.True(refusal is not null, $"not a server refusal: {exception.Message}");
        return refusal;
    }

    /// <summary>Runs a call that must be refused and answers the refusal ("code: message").</summary>
    public static async Task<string> RefusalAsync(Func<Task> call) => Refusal(await Assert.ThrowsAsync<HubException>(call));
}
