using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace Live.Client.Protocol;

/// <summary>
/// The MessagePack side of RedLive's one contract: every object is a map keyed by the field names a JSON client reads
/// (camelCase, the same nesting, nil where JSON has null), money is a number and times are ISO 8601 strings, as in JSON.
/// The server's hub protocol and every .NET client use these options, so both ends read what the other writes.
/// </summary>
public static class LiveMessagePack
{
    /// <summary>
    /// Our time and money formatters first (MessagePack-CSharp's own write an array and a string), and members declared
    /// <see cref="object"/> written as their runtime type (<see cref="RuntimeTypeObjectFormatter"/>), then the built-in
    /// primitives and collections, then objects as JSON-named maps. Nothing falls back to the contractless resolver:
    /// a type this cannot write in the JSON shape fails loudly instead of reaching clients under other names.
    /// </summary>
    public static IFormatterResolver Resolver { get; } = CompositeResolver.Create(
        [
            IsoDateTimeOffsetFormatter.Instance,
            new StaticNullableFormatter<DateTimeOffset>(IsoDateTimeOffsetFormatter.Instance),
            NumberDecimalFormatter.Instance,
            new StaticNullableFormatter<decimal>(NumberDecimalFormatter.Instance),
            RuntimeTypeObjectFormatter.Instance,
            EventDataFormatter.Instance,
        ],
        [
            BuiltinResolver.Instance,
            DynamicEnumResolver.Instance,
            DynamicGenericResolver.Instance,
            JsonNamesResolver.Instance,
            PrimitiveObjectResolver.Instance,
        ]);

    /// <summary>The options for <c>MessagePackHubProtocolOptions.SerializerOptions</c>, with SignalR's untrusted-data limits.</summary>
    public static MessagePackSerializerOptions Options { get; } =
        MessagePackSerializerOptions.Standard.WithResolver(Resolver).WithSecurity(MessagePackSecurity.UntrustedData);
}
