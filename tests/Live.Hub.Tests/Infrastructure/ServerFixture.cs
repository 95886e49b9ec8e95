namespace Live.Hub.Tests.Infrastructure;

/// <summary>One embedded RedLive server shared by a collection of tests (each test makes its own rooms and users).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private LiveServer? _server;

    public LiveServer Server => _server ?? throw new InvalidOperationException("server not started");

    public async ValueTask InitializeAsync() => _server = await LiveServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "embedded server";
}
