using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using MessagePack;
using MessagePack.Formatters;

namespace Live.Client.Protocol;

/// <summary>
/// A time as the ISO 8601 string System.Text.Json writes (<c>2025-05-01T12:00:00.5+00:00</c>: the offset kept, the
/// fraction without trailing zeros), so a client reads the same text in both protocols and parses it the same way.
/// MessagePack's timestamp extension would decode to a JS <c>Date</c> in one protocol and a string in the other.
/// Reading also takes the timestamp extension, which is what @msgpack/msgpack writes for a JS <c>Date</c>.
/// </summary>
public sealed class IsoDateTimeOffsetFormatter : IMessagePackFormatter<DateTimeOffset>
{
    public static readonly IsoDateTimeOffsetFormatter Instance = new();

    // "yyyy-MM-ddTHH:mm:ss.fffffff+hh:mm": the fraction's dot at 19, its seven digits up to 27, the offset after.
    private const int Length = 33;
    private const int Dot = 19;
    private const int OffsetStart = 27;

    private IsoDateTimeOffsetFormatter()
    {
    }

    public void Serialize(ref MessagePackWriter writer, DateTimeOffset value, MessagePackSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[Length];
        if (!Utf8Formatter.TryFormat(value, text, out var written, new StandardFormat('O')) || written != Length)
        {
            throw new MessagePackSerializationException($"cannot write {value:O} as ISO 8601");
        }

        var end = OffsetStart;
        while (end > Dot + 1 && text[end - 1] == (byte)'0')
        {
            end--;
        }

        if (end == Dot + 1)
        {
            end = Dot;
        }

        text[OffsetStart..].CopyTo(text[end..]);
        var length = end + Length - OffsetStart;

        // Copied into the writer's own span: a stack buffer may not be handed to a method of the writer.
        writer.WriteStringHeader(length);
        text[..length].CopyTo(writer.GetSpan(length));
        writer.Advance(length);
    }

    public DateTimeOffset Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.String:
                var text = reader.ReadString()!;
                return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                    ? time
                    : throw new MessagePackSerializationException($"'{text}' is not an ISO 8601 time");
            case MessagePackType.Extension:
                return new DateTimeOffset(reader.ReadDateTime(), TimeSpan.Zero);
            default:
                throw new MessagePackSerializationException($"a time is an ISO 8601 string, not {reader.NextMessagePackType}");
        }
    }
}
