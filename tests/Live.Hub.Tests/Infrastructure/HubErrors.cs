using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Tests.Infrastructure;

public static class HubErrors
{
    private const string Marker = "HubException: ";

    /// <summary>
    /// The server's refusal ("code: message") out of what the client sees: SignalR puts its own sentence first,
    /// "An unexpected error occurred invoking 'X' on the server. HubException: code: message".
    /// </summary>
    public static string Refusal(HubException exception)
    {
        var at = exception.Message.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"not a server refusal: {exception.Message}");
        return exception.Message[(at + Marker.Length)..];
    }

    /// <summary>Runs a call that must be refused and answers the refusal ("code: message").</summary>
    public static async Task<string> RefusalAsync(Func<Task> call) => Refusal(await Assert.ThrowsAsync<HubException>(call));
}
