using System.Net;
using System.Net.Sockets;

namespace Live.Cluster.Tests.Infrastructure;

/// <summary>
/// A WebSocket-capable load balancer in miniature (layer 4, like nginx's stream proxy or an L4 cloud balancer):
/// each new connection goes round-robin to the next backend that accepts it. When a hub server dies, its clients'
/// reconnects land on one that lives.
/// </summary>
public sealed class TcpBalancer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyList<int> _backends;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _next;

    public TcpBalancer(IReadOnlyList<int> backendPorts)
    {
        _backends = backendPorts;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var backend = await ConnectBackendAsync();
            if (backend is null)
            {
                return;
            }

            using (backend)
            {
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var a = client.GetStream();
                var b = backend.GetStream();
                try
                {
                    await Task.WhenAny(a.CopyToAsync(b, done.Token), b.CopyToAsync(a, done.Token));
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
                {
                }

                await done.CancelAsync();
            }
        }
    }

    private async Task<TcpClient?> ConnectBackendAsync()
    {
        for (var attempt = 0; attempt < _backends.Count; attempt++)
        {
            var port = _backends[(int)((uint)Interlocked.Increment(ref _next) % _backends.Count)];
            var backend = new TcpClient();
            try
            {
                await backend.ConnectAsync(IPAddress.Loopback, port, _stop.Token);
                return backend;
            }
            catch (SocketException)
            {
                backend.Dispose();
            }
        }

        return null;
    }
}
