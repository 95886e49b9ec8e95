using System.Text.Json;
using System.Text.Json.Serialization;
using Live.Client.Protocol;
using MessagePack;

namespace Live.Client.Models;

/// <summary>
/// The <c>data</c> of a <see cref="ResumedEvent"/>: a live event's argument whose type depends on the event's name, so
/// it is kept as received (a JSON element, or the MessagePack bytes) and read once the name is known. Hand-written
/// because neither SignalR protocol reads a field whose type another field names.
/// </summary>
[JsonConverter(typeof(EventDataJsonConverter))]
public sealed class EventData
{
    private static readonly JsonSerializerOptions WebOptions = new(JsonSerializerDefaults.Web);

    private readonly JsonElement? _json;
    private readonly JsonSerializerOptions? _jsonOptions;
    private readonly byte[]? _messagePack;
    private readonly MessagePackSerializerOptions? _messagePackOptions;

    private EventData(JsonElement json, JsonSerializerOptions options)
    {
        _json = json;
        _jsonOptions = options;
    }

    private EventData(byte[] messagePack, MessagePackSerializerOptions options)
    {
        _messagePack = messagePack;
        _messagePackOptions = options;
    }

    /// <summary>The value as JSON would carry it (for tests and tools that build answers).</summary>
    public static EventData From<T>(T value) => new(JsonSerializer.SerializeToElement(value, WebOptions), WebOptions);

    /// <summary>Data read from JSON, kept with the options it was read with.</summary>
    public static EventData FromJson(JsonElement element, JsonSerializerOptions options) => new(element.Clone(), options);

    /// <summary>Data read from MessagePack: the raw bytes of one value.</summary>
    public static EventData FromMessagePack(byte[] bytes, MessagePackSerializerOptions options) => new(bytes, options);

    /// <summary>The data read as <typeparamref name="T"/>, the live argument's type of the event's name.</summary>
    public T? As<T>() =>
        _json is { } json
            ? json.Deserialize<T>(_jsonOptions ?? WebOptions)
            : MessagePackSerializer.Deserialize<T>(_messagePack, _messagePackOptions ?? LiveMessagePack.Options);

    /// <summary>The data as JSON text.</summary>
    public string ToJson() =>
        _json is { } json ? json.GetRawText() : MessagePackSerializer.ConvertToJson(_messagePack, _messagePackOptions);

    /// <summary>The data as MessagePack bytes in RedLive's shape.</summary>
    public byte[] ToMessagePack() =>
        _messagePack ?? MessagePackSerializer.ConvertFromJson(_json!.Value.GetRawText(), LiveMessagePack.Options);

    public override string ToString() => ToJson();
}
