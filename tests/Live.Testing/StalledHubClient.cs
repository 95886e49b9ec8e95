using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Live.Testing;

/// <summary>
/// A viewer that stops reading its socket: a JSON-protocol hub connection over a WebSocket on a TCP socket with a
/// small receive buffer (so the kernel does not absorb megabytes on its behalf), which joins rooms and then reads
/// nothing more. The server's writes to it block once its buffers are full: the slow viewer of a real room.
/// </summary>
public sealed class StalledHubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly WebSocket _webSocket;
    private readonly StringBuilder _pending = new();
    private int _nextId;

    private StalledHubClient(Socket socket, WebSocket webSocket)
    {
        _socket = socket;
        _webSocket = webSocket;
    }

    /// <summary>Connects to <paramref name="hubUri"/> (http, loopback) and performs the JSON handshake.</summary>
    public static async Task<StalledHubClient> ConnectAsync(Uri hubUri, string? token, int receiveBufferBytes = 4096)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = receiveBufferBytes, NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(hubUri.Host), hubUri.Port), timeout.Token);
        var stream = new NetworkStream(socket, ownsSocket: false);
        var query = token is null ? string.Empty : $"?access_token={Uri.EscapeDataString(token)}";
        var upgrade = $"GET {hubUri.AbsolutePath}{query} HTTP/1.1\r\nHost: {hubUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(upgrade), timeout.Token);

        // The 101 answer's headers, byte by byte so that nothing after them is taken from the WebSocket.
        var headers = new StringBuilder();
        var one = new byte[1];
        while (!headers.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, timeout.Token) == 0)
            {
                throw new InvalidOperationException($"the server closed the upgrade: {headers}");
            }

            headers.Append((char)one[0]);
        }

        if (!headers.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"no WebSocket upgrade: {headers}");
        }

        var webSocket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var client = new StalledHubClient(socket, webSocket);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}");
        var handshake = await client.ReadMessageAsync(timeout.Token);
        if (JsonNode.Parse(handshake)!["error"] is { } error)
        {
            throw new InvalidOperationException($"handshake refused: {error}");
        }

        return client;
    }

    /// <summary>Invokes <paramref name="target"/> and reads until its answer (events before it are skipped); the result.</summary>
    public async Task<JsonNode?> InvokeAsync(string target, params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var call = new JsonObject { ["type"] = 1, ["invocationId"] = id, ["target"] = target, ["arguments"] = new JsonArray([.. arguments.Select(a => JsonValue.Create(a))]) };
        await SendAsync(call.ToJsonString());
        while (true)
        {
            var message = JsonNode.Parse(await ReadMessageAsync(timeout.Token))!;
            if ((int?)message["type"] == 3 && (string?)message["invocationId"] == id)
            {
                return message["error"] is { } error ? throw new InvalidOperationException($"{target} failed: {error}") : message["result"];
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _webSocket.Abort();
        _webSocket.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task SendAsync(string json) =>
        _webSocket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

    private async Task<string> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf(RecordSeparator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                return text[..end];
            }

            var received = await _webSocket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("the server closed the connection");
            }

            _pending.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
        }
    }
}
