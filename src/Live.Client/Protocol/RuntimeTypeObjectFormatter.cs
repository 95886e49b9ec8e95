using MessagePack;
using MessagePack.Formatters;

namespace Live.Client.Protocol;

/// <summary>
/// A member declared <see cref="object"/> (the <c>data</c> of a resumed room event, whose shape depends on its event)
/// written as its runtime type, with the JSON field names, as System.Text.Json writes it; MessagePack-CSharp's own
/// object formatter writes primitives and collections only. Read back as primitives, maps and arrays, the way a JSON
/// reader sees an element before it is told the type.
/// </summary>
internal sealed class RuntimeTypeObjectFormatter : IMessagePackFormatter<object?>
{
    public static readonly RuntimeTypeObjectFormatter Instance = new();

    public void Serialize(ref MessagePackWriter writer, object? value, MessagePackSerializerOptions options)
    {
        if (value is null || value.GetType() == typeof(object))
        {
            PrimitiveObjectFormatter.Instance.Serialize(ref writer, value, options);
            return;
        }

        MessagePackSerializer.Serialize(value.GetType(), ref writer, value, options);
    }

    public object? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        PrimitiveObjectFormatter.Instance.Deserialize(ref reader, options);
}
