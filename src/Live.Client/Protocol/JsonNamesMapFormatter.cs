using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Internal;

namespace Live.Client.Protocol;

/// <summary>
/// An object as a MessagePack map with the keys System.Text.Json's web defaults give it (what SignalR's JSON protocol
/// sends): public properties in declaration order, camelCase unless <see cref="JsonPropertyNameAttribute"/> names
/// them, <see cref="JsonIgnoreAttribute"/> honoured, null written as nil. Reading matches names as JSON does
/// (exactly, then ignoring case), skips keys it does not know (fields the server adds later), and builds the object
/// through its public constructor (defaults for a record's positional parameters) and the properties' setters.
/// </summary>
internal sealed class JsonNamesMapFormatter<T> : IMessagePackFormatter<T?>
    where T : class
{
    private readonly MapMember<T>[] _members;
    private readonly bool _conditional;
    private readonly Func<T>? _create;

    public JsonNamesMapFormatter()
    {
        _members = [.. typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .Select(p => (Property: p, Ignore: p.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition ?? JsonIgnoreCondition.Never))
            .Where(p => p.Ignore != JsonIgnoreCondition.Always)
            .Select(p => MapMember<T>.Create(p.Property, JsonName(p.Property), p.Ignore))];
        _conditional = _members.Any(m => m.IsConditional);
        _create = Constructor();
    }

    public void Serialize(ref MessagePackWriter writer, T? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var members = _members;
        if (!_conditional)
        {
            writer.WriteMapHeader(members.Length);
            foreach (var member in members)
            {
                member.Write(ref writer, value, options);
            }

            return;
        }

        var count = 0;
        foreach (var member in members)
        {
            count += member.ShouldWrite(value) ? 1 : 0;
        }

        writer.WriteMapHeader(count);
        foreach (var member in members)
        {
            if (member.ShouldWrite(value))
            {
                member.Write(ref writer, value, options);
            }
        }
    }

    public T? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var create = _create ?? throw new MessagePackSerializationException($"{typeof(T)} has no public constructor to read it with");
        options.Security.DepthStep(ref reader);
        try
        {
            var count = reader.ReadMapHeader();
            var value = create();
            for (var i = 0; i < count; i++)
            {
                var member = Find(CodeGenHelpers.ReadStringSpan(ref reader), i);
                if (member is { CanRead: true })
                {
                    member.Read(ref reader, value, options);
                }
                else
                {
                    reader.Skip();
                }
            }

            return value;
        }
        finally
        {
            reader.Depth--;
        }
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    /// <summary>
    /// The public constructor with the fewest parameters, called with their defaults: a record's positional
    /// parameters are its init properties too, which reading then sets.
    /// </summary>
    private static Func<T>? Constructor()
    {
        var constructor = typeof(T).GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .Where(c => c.GetParameters().All(p => p.ParameterType != typeof(T)))
            .MinBy(c => c.GetParameters().Length);
        if (constructor is null)
        {
            return null;
        }

        var arguments = constructor.GetParameters().Select(p => (Expression)Expression.Default(p.ParameterType));
        return Expression.Lambda<Func<T>>(Expression.New(constructor, arguments)).Compile();
    }

    /// <param name="key">The key read, UTF-8.</param>
    /// <param name="position">Its position in the map: a map this formatter wrote has the members in order.</param>
    private MapMember<T>? Find(ReadOnlySpan<byte> key, int position)
    {
        var members = _members;
        if ((uint)position < (uint)members.Length && key.SequenceEqual(members[position].Utf8Name))
        {
            return members[position];
        }

        foreach (var member in members)
        {
            if (key.SequenceEqual(member.Utf8Name))
            {
                return member;
            }
        }

        // SignalR's JSON protocol reads names case-insensitively (JsonSerializerDefaults.Web): so does this.
        foreach (var member in members)
        {
            if (Ascii.EqualsIgnoreCase(key, member.Utf8Name))
            {
                return member;
            }
        }

        return null;
    }
}
