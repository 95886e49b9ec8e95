using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MessagePack;

namespace Live.Testing;

/// <summary>
/// A SignalR client of the wire itself, as a client in another language sees the hub: a WebSocket, the handshake,
/// and frames decoded without any of RedLive's .NET types (MessagePack read with its primitive reader and turned into
/// JSON by <see cref="MessagePackSerializer.ConvertToJson(ReadOnlyMemory{byte}, MessagePackSerializerOptions?, CancellationToken)"/>),
/// so a test sees the field names a JS or Swift client would. Every event argument and call result is a
/// <see cref="JsonNode"/> (null for nil).
/// </summary>
public sealed class RawHubClient : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private const int InvocationType = 1;
    private const int CompletionType = 3;
    private const int PingType = 6;
    private const int CloseType = 7;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly WireProtocol _protocol;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode?>> _calls = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private Task _pinging = Task.CompletedTask;
    private int _nextId;

    private RawHubClient(ClientWebSocket socket, WireProtocol protocol)
    {
        _socket = socket;
        _protocol = protocol;
        Events = new EventProbe<RawEvent>($"raw {protocol} events");
    }

    /// <summary>Every event received (invocations from the server), oldest first.</summary>
    public EventProbe<RawEvent> Events { get; }

    /// <summary>Opens a WebSocket to <paramref name="hubUri"/> (http or https), performs the handshake for <paramref name="protocol"/>.</summary>
    public static async Task<RawHubClient> ConnectAsync(Uri hubUri, string? token, WireProtocol protocol)
    {
        var address = new UriBuilder(hubUri) { Scheme = hubUri.Scheme == "https" ? "wss" : "ws" };
        if (token is not null)
        {
            address.Query = $"access_token={Uri.EscapeDataString(token)}";
        }

        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(CallTimeout);
        await socket.ConnectAsync(address.Uri, timeout.Token);
        var client = new RawHubClient(socket, protocol);
        var name = protocol == WireProtocol.MessagePack ? "messagepack" : "json";
        await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"protocol\":\"{name}\",\"version\":1}}\u001e"), WebSocketMessageType.Text, true, timeout.Token);

        // The handshake answer is JSON ending in 0x1e in both protocols; "{}" means accepted.
        var buffer = new byte[4096];
        var answer = new List<byte>();
        while (!answer.Contains(RecordSeparator))
        {
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            answer.AddRange(buffer.AsSpan(0, received.Count));
        }

        var handshake = JsonNode.Parse(answer.ToArray().AsSpan(0, answer.IndexOf(RecordSeparator)))!.AsObject();
        if (handshake["error"] is { } error)
        {
            throw new InvalidOperationException($"handshake refused: {error}");
        }

        client._receiving = client.ReceiveAsync(answer.Skip(answer.IndexOf(RecordSeparator) + 1).ToArray());
        client._pinging = client.PingAsync();
        return client;
    }

    /// <summary>
    /// The argument of the first <paramref name="target"/> event received so far or later that satisfies
    /// <paramref name="match"/>, without taking it or anything else (events of different names interleave).
    /// </summary>
    public async Task<JsonNode?> EventAsync(string target, Func<JsonNode?, bool>? match = null, string? what = null)
    {
        bool Matches(RawEvent e) => e.Target == target && (match is null || match(e.Argument));
        await Events.WaitUntilAsync(items => items.Any(Matches), $"{target} {what}");
        return Events.Items.First(Matches).Argument;
    }

    /// <summary>Invokes <paramref name="target"/> with string and integer arguments; the result as JSON, or a <see cref="RawHubCallException"/>.</summary>
    public async Task<JsonNode?> InvokeAsync(string target, params object[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var call = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = call;
        await SendAsync(_protocol == WireProtocol.MessagePack ? MessagePackInvocation(id, target, arguments) : JsonInvocation(id, target, arguments));
        try
        {
            return await call.Task.WaitAsync(CallTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no answer to {target} within {CallTimeout}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server went first; nothing left to close.
            }
        }

        await Task.WhenAll(_receiving, _pinging).ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _stop.Dispose();
        _sending.Dispose();
    }

    private static byte[] JsonInvocation(string id, string target, object[] arguments)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new { type = InvocationType, invocationId = id, target, arguments });
        return [.. json, RecordSeparator];
    }

    private static byte[] MessagePackInvocation(string id, string target, object[] arguments)
    {
        // [1, headers, invocationId, target, arguments, streamIds], prefixed by its length as a VarInt.
        var body = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(body);
        writer.WriteArrayHeader(6);
        writer.Write(InvocationType);
        writer.WriteMapHeader(0);
        writer.Write(id);
        writer.Write(target);
        writer.WriteArrayHeader(arguments.Length);
        foreach (var argument in arguments)
        {
            switch (argument)
            {
                case string text:
                    writer.Write(text);
                    break;
                case int number:
                    writer.Write(number);
                    break;
                default:
                    throw new ArgumentException($"raw calls take strings and ints, not {argument.GetType()}");
            }
        }

        writer.WriteArrayHeader(0);
        writer.Flush();
        return Framed(body.WrittenSpan);
    }

    private static byte[] Framed(ReadOnlySpan<byte> message)
    {
        var framed = new List<byte>(message.Length + 5);
        var length = (uint)message.Length;
        do
        {
            var part = (byte)(length & 0x7f);
            length >>= 7;
            framed.Add(length > 0 ? (byte)(part | 0x80) : part);
        }
        while (length > 0);
        framed.AddRange(message);
        return [.. framed];
    }

    private static JsonNode? ToJson(ReadOnlySequence<byte> value) =>
        JsonNode.Parse(MessagePackSerializer.ConvertToJson(value));

    private async Task SendAsync(byte[] message)
    {
        await _sending.WaitAsync(_stop.Token);
        try
        {
            var type = _protocol == WireProtocol.MessagePack ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
            await _socket.SendAsync(message, type, true, _stop.Token);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Keeps the server's client timeout (30 s without a message) from closing an idle test connection.</summary>
    private async Task PingAsync()
    {
        var ping = _protocol == WireProtocol.MessagePack ? Framed([0x91, PingType]) : [.. "{\"type\":6}"u8, RecordSeparator];
        try
        {
            while (true)
            {
                await Task.Delay(PingInterval, _stop.Token);
                await SendAsync(ping);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Closed.
        }
    }

    private async Task ReceiveAsync(byte[] leftover)
    {
        var pending = new List<byte>(leftover);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                pending.AddRange(buffer.AsSpan(0, received.Count));
                var used = _protocol == WireProtocol.MessagePack ? ParseMessagePack(pending.ToArray()) : ParseJson(pending.ToArray());
                pending.RemoveRange(0, used);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closed.
        }

        foreach (var call in _calls.Values)
        {
            call.TrySetException(new InvalidOperationException("the connection closed before the answer"));
        }
    }

    /// <returns>How many bytes held whole messages.</returns>
    private int ParseJson(byte[] data)
    {
        var used = 0;
        int end;
        while ((end = Array.IndexOf(data, RecordSeparator, used)) >= 0)
        {
            var message = JsonNode.Parse(data.AsSpan(used, end - used))!.AsObject();
            used = end + 1;
            switch ((int)message["type"]!)
            {
                case InvocationType:
                    Events.Record(new RawEvent((string)message["target"]!, message["arguments"]!.AsArray().Single()?.DeepClone()));
                    break;
                case CompletionType:
                    Complete((string)message["invocationId"]!, (string?)message["error"], message["result"]?.DeepClone());
                    break;
            }
        }

        return used;
    }

    /// <returns>How many bytes held whole messages.</returns>
    private int ParseMessagePack(byte[] data)
    {
        var used = 0;
        while (TryReadLength(data.AsSpan(used), out var length, out var prefix) && used + prefix + length <= data.Length)
        {
            var reader = new MessagePackReader(data.AsMemory(used + prefix, length));
            used += prefix + length;
            var fields = reader.ReadArrayHeader();
            switch (reader.ReadInt32())
            {
                case InvocationType:
                    reader.Skip(); // headers
                    reader.Skip(); // invocation id: nil for an event
                    var target = reader.ReadString()!;
                    var count = reader.ReadArrayHeader();
                    var argument = count == 1 ? ToJson(reader.ReadRaw()) : throw new InvalidDataException($"{target} carried {count} arguments");
                    Events.Record(new RawEvent(target, argument));
                    break;
                case CompletionType:
                    reader.Skip(); // headers
                    var id = reader.ReadString()!;
                    var kind = reader.ReadInt32();
                    Complete(id, kind == 1 ? reader.ReadString() : null, kind == 3 && fields > 4 ? ToJson(reader.ReadRaw()) : null);
                    break;
                case CloseType:
                    break;
            }
        }

        return used;
    }

    private static bool TryReadLength(ReadOnlySpan<byte> data, out int length, out int prefix)
    {
        length = 0;
        for (prefix = 0; prefix < Math.Min(5, data.Length); prefix++)
        {
            length |= (data[prefix] & 0x7f) << (7 * prefix);
            if ((data[prefix] & 0x80) == 0)
            {
                prefix++;
                return true;
            }
        }

        return false;
    }

    private void Complete(string id, string? error, JsonNode? result)
    {
        if (_calls.TryRemove(id, out var call))
        {
            if (error is null)
            {
                call.TrySetResult(result);
            }
            else
            {
                call.TrySetException(new RawHubCallException(error));
            }
        }
    }
}
