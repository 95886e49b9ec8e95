using System.Buffers;
using Live.Client.Models;
using MessagePack;
using MessagePack.Formatters;

namespace Live.Client.Protocol;

/// <summary>Reads <see cref="EventData"/> as the raw MessagePack of one value, kept to be read once its event's name is known.</summary>
internal sealed class EventDataFormatter : IMessagePackFormatter<EventData?>
{
    public static readonly EventDataFormatter Instance = new();

    public void Serialize(ref MessagePackWriter writer, EventData? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteRaw(value.ToMessagePack());
    }

    public EventData? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        reader.TryReadNil() ? null : EventData.FromMessagePack(reader.ReadRaw().ToArray(), options);
}
