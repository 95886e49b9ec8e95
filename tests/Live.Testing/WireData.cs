using System.Text.Json;
using Live.Client.Protocol;
using MessagePack;

namespace Live.Testing;

/// <summary>
/// Reads a member the protocol types by its neighbour (a resumed event's <c>data</c>, whose shape is its
/// <c>event</c>'s): a JSON client receives it as a <see cref="JsonElement"/>, a MessagePack one as maps and arrays of
/// primitives; either is read here as the type asked for, with that protocol's rules.
/// </summary>
public static class WireData
{
    public static T As<T>(object data) => data switch
    {
        JsonElement json => json.Deserialize<T>(JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"null where a {typeof(T).Name} was expected"),
        _ => MessagePackSerializer.Deserialize<T>(MessagePackSerializer.Serialize(data, LiveMessagePack.Options), LiveMessagePack.Options),
    };
}
