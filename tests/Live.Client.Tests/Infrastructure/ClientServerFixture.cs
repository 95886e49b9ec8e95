namespace Live.Client.Tests.Infrastructure;

/// <summary>One embedded RedLive server with the connection fault injector, shared by the client tests (each makes its own rooms and users).</summary>
public sealed class ClientServerFixture : IAsyncLifetime
{
    private LiveServer? _server;

    public ConnectionFaults Faults { get; } = new();

    public LiveServer Server => _server ?? throw new InvalidOperationException("server not started");

    public async ValueTask InitializeAsync() => _server = await LiveServer.StartAsync(configure: Faults.AddTo);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
