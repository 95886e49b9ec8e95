using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Live.Testing;

/// <summary>Compares what two clients received (JSON, and MessagePack turned into JSON), field by field.</summary>
public static class WireJson
{
    /// <summary>
    /// The same field names at every depth, null where the other has null, the same kind of value (string, number,
    /// boolean, object, array of the same length); with <paramref name="sameValues"/>, the same values too (numbers
    /// compared as decimals: JSON's <c>59.90</c> is MessagePack's <c>59.9</c>).
    /// </summary>
    public static void AssertSameShape(JsonNode? expected, JsonNode? actual, string path, bool sameValues = false)
    {
        var expectedKind = Kind(expected);
        var actualKind = Kind(actual);
        Assert.True(expectedKind == actualKind, $"{path}: {expectedKind} in JSON, {actualKind} in MessagePack ({actual?.ToJsonString()})");
        switch (expectedKind)
        {
            case JsonValueKind.Object:
                var expectedObject = expected!.AsObject();
                var actualObject = actual!.AsObject();
                Assert.True(
                    expectedObject.Select(p => p.Key).Order(StringComparer.Ordinal).SequenceEqual(actualObject.Select(p => p.Key).Order(StringComparer.Ordinal)),
                    $"{path}: fields [{string.Join(", ", expectedObject.Select(p => p.Key))}] in JSON, [{string.Join(", ", actualObject.Select(p => p.Key))}] in MessagePack");
                foreach (var (name, value) in expectedObject)
                {
                    AssertSameShape(value, actualObject[name], $"{path}.{name}", sameValues);
                }

                break;
            case JsonValueKind.Array:
                var expectedArray = expected!.AsArray();
                var actualArray = actual!.AsArray();
                Assert.True(expectedArray.Count == actualArray.Count, $"{path}: {expectedArray.Count} items in JSON, {actualArray.Count} in MessagePack");
                for (var i = 0; i < expectedArray.Count; i++)
                {
                    AssertSameShape(expectedArray[i], actualArray[i], $"{path}[{i}]", sameValues);
                }

                break;
            case JsonValueKind.Number when sameValues:
                Assert.True(expected!.GetValue<decimal>() == actual!.GetValue<decimal>(), $"{path}: {expected} in JSON, {actual} in MessagePack");
                break;
            case JsonValueKind.String or JsonValueKind.True when sameValues:
                Assert.True(expected!.ToJsonString() == actual!.ToJsonString(), $"{path}: {expected.ToJsonString()} in JSON, {actual.ToJsonString()} in MessagePack");
                break;
        }
    }

    /// <summary>The kind of a value, true and false being one kind (a boolean).</summary>
    private static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        null => JsonValueKind.Null,
        JsonValueKind.False => JsonValueKind.True,
        var kind => kind.Value,
    };
}
