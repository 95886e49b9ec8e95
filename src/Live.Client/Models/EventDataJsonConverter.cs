using System.Text.Json;
using System.Text.Json.Serialization;

namespace Live.Client.Models;

/// <summary>Reads <see cref="EventData"/> as the JSON element it is, kept for later; writes it back as it came.</summary>
public sealed class EventDataJsonConverter : JsonConverter<EventData>
{
    public override EventData? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.ValueKind == JsonValueKind.Null ? null : EventData.FromJson(document.RootElement, options);
    }

    public override void Write(Utf8JsonWriter writer, EventData value, JsonSerializerOptions options)
    {
        using var document = JsonDocument.Parse(value.ToJson());
        document.RootElement.WriteTo(writer);
    }
}
