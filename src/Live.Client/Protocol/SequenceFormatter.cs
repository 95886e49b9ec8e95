using MessagePack;
using MessagePack.Formatters;

namespace Live.Client.Protocol;

/// <summary>Writes a collection of a type no other resolver knows as an array, as JSON does; reading one is not supported.</summary>
internal sealed class SequenceFormatter<TCollection, TElement> : IMessagePackFormatter<TCollection?>
    where TCollection : class, IEnumerable<TElement>
{
    public void Serialize(ref MessagePackWriter writer, TCollection? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var items = value as IReadOnlyCollection<TElement> ?? [.. value];
        var formatter = options.Resolver.GetFormatterWithVerify<TElement>();
        writer.WriteArrayHeader(items.Count);
        foreach (var item in items)
        {
            formatter.Serialize(ref writer, item, options);
        }
    }

    public TCollection? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        throw new MessagePackSerializationException($"{typeof(TCollection)} cannot be read; read the array as {typeof(TElement)}[]");
}
