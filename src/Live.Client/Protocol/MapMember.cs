using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;
using MessagePack;
using MessagePack.Formatters;

namespace Live.Client.Protocol;

/// <summary>One property of a map: its key, already encoded, and typed accessors (no boxing, no reflection per call).</summary>
internal abstract class MapMember<T>
    where T : class
{
    protected MapMember(string name, JsonIgnoreCondition condition)
    {
        Utf8Name = Encoding.UTF8.GetBytes(name);
        var key = new ArrayBufferWriter<byte>(Utf8Name.Length + 5);
        var writer = new MessagePackWriter(key);
        writer.WriteString(Utf8Name);
        writer.Flush();
        EncodedKey = key.WrittenSpan.ToArray();
        Condition = condition;
    }

    public byte[] Utf8Name { get; }

    /// <summary>The key as MessagePack bytes (string header and UTF-8), written raw on every send.</summary>
    public byte[] EncodedKey { get; }

    public JsonIgnoreCondition Condition { get; }

    public bool IsConditional => Condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault;

    public abstract bool CanRead { get; }

    public static MapMember<T> Create(PropertyInfo property, string name, JsonIgnoreCondition condition) =>
        (MapMember<T>)Activator.CreateInstance(typeof(MapMember<,>).MakeGenericType(typeof(T), property.PropertyType), property, name, condition)!;

    public abstract bool ShouldWrite(T value);

    public abstract void Write(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options);

    public abstract void Read(ref MessagePackReader reader, T value, MessagePackSerializerOptions options);
}

internal sealed class MapMember<T, TValue> : MapMember<T>
    where T : class
{
    private readonly Func<T, TValue> _get;
    private readonly Action<T, TValue>? _set;
    private volatile ResolvedFormatter? _formatter;

    public MapMember(PropertyInfo property, string name, JsonIgnoreCondition condition)
        : base(name, condition)
    {
        _get = property.GetMethod!.CreateDelegate<Func<T, TValue>>();
        _set = property.SetMethod is { IsPublic: true } setter ? setter.CreateDelegate<Action<T, TValue>>() : null;
    }

    public override bool CanRead => _set is not null;

    public override bool ShouldWrite(T value) => Condition switch
    {
        JsonIgnoreCondition.WhenWritingNull => _get(value) is not null,
        JsonIgnoreCondition.WhenWritingDefault => !EqualityComparer<TValue>.Default.Equals(_get(value), default),
        _ => true,
    };

    public override void Write(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        writer.WriteRaw(EncodedKey);
        Formatter(options).Serialize(ref writer, _get(value), options);
    }

    public override void Read(ref MessagePackReader reader, T value, MessagePackSerializerOptions options) =>
        _set!(value, Formatter(options).Deserialize(ref reader, options));

    /// <summary>The property type's formatter, looked up once per resolver instead of once per value.</summary>
    private IMessagePackFormatter<TValue> Formatter(MessagePackSerializerOptions options)
    {
        var cached = _formatter;
        if (cached is null || !ReferenceEquals(cached.Resolver, options.Resolver))
        {
            cached = new ResolvedFormatter(options.Resolver, options.Resolver.GetFormatterWithVerify<TValue>());
            _formatter = cached;
        }

        return cached.Formatter;
    }

    private sealed record ResolvedFormatter(IFormatterResolver Resolver, IMessagePackFormatter<TValue> Formatter);
}
