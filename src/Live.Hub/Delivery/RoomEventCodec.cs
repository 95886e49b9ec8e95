using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Live.Hub.Delivery;

/// <summary>
/// A room event on RedLive's Redis room channel: the room id (length-prefixed UTF-8), then the event as the hub's JSON
/// protocol writes it for clients, read back with <see cref="ILiveClient"/>'s parameter types. JSON rather than
/// MessagePack because RedLive's MessagePack writes money as a float64, which reads back without its trailing zeros:
/// through JSON a JSON client on another hub server reads exactly what it would read on this one.
/// </summary>
public sealed class RoomEventCodec(IHubProtocol json)
{
    public byte[] Write(string roomId, string method, object?[] args)
    {
        var invocation = json.GetMessageBytes(new InvocationMessage(method, args));
        var room = Encoding.UTF8.GetBytes(roomId);
        var payload = new byte[2 + room.Length + invocation.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(payload, checked((ushort)room.Length));
        room.CopyTo(payload.AsSpan(2));
        invocation.Span.CopyTo(payload.AsSpan(2 + room.Length));
        return payload;
    }

    /// <summary>The room id alone, to skip a room this server has no viewer of without reading the event.</summary>
    public static string RoomOf(ReadOnlySpan<byte> payload) =>
        Encoding.UTF8.GetString(payload.Slice(2, BinaryPrimitives.ReadUInt16LittleEndian(payload)));

    public InvocationMessage Read(ReadOnlyMemory<byte> payload)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(payload.Span);
        var invocation = new ReadOnlySequence<byte>(payload[(2 + length)..]);
        return json.TryParseMessage(ref invocation, LiveClientBinder.Instance, out var parsed) && parsed is InvocationMessage call
            ? call
            : throw new InvalidDataException("not an event invocation");
    }
}
