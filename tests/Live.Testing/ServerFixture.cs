using Xunit;

namespace Live.Testing;

/// <summary>
/// One embedded RedLive server shared by a collection of tests (each test makes its own rooms and users). xunit
/// takes collection definitions only from the test assembly itself, so each test project that uses this fixture
/// declares its own <c>[CollectionDefinition]</c>.
/// </summary>
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
