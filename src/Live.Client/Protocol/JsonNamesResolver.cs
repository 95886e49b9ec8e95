using System.Collections;
using MessagePack;
using MessagePack.Formatters;

namespace Live.Client.Protocol;

/// <summary>
/// Writes and reads objects as maps keyed by their System.Text.Json web names (<see cref="JsonNamesMapFormatter{T}"/>):
/// MessagePack-CSharp 2.5 has no naming policy, and its contractless resolver keys maps by the C# names. One
/// formatter per type, built once by reflection and cached in a static generic field.
/// </summary>
public sealed class JsonNamesResolver : IFormatterResolver
{
    public static readonly JsonNamesResolver Instance = new();

    private JsonNamesResolver()
    {
    }

    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    private static object? Create(Type type)
    {
        if (type == typeof(object) || type == typeof(string) || type.IsValueType || type.IsAbstract || type.IsInterface
            || type.IsArray || type.ContainsGenericParameters)
        {
            return null;
        }

        // A collection type the generic resolver does not know (a collection expression's compiler-made list, say)
        // is an array in JSON: keep it one here rather than a map of its Count.
        if (typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = type.GetInterfaces()
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
                ?.GetGenericArguments()[0];
            return element is null ? null : Activator.CreateInstance(typeof(SequenceFormatter<,>).MakeGenericType(type, element));
        }

        return Activator.CreateInstance(typeof(JsonNamesMapFormatter<>).MakeGenericType(type));
    }

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = (IMessagePackFormatter<T>?)Create(typeof(T));
    }
}
