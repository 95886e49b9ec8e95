using System.Globalization;
using MessagePack;
using MessagePack.Formatters;

namespace Live.Client.Protocol;

/// <summary>
/// Money as a MessagePack number, as JSON sends it: an integer when the amount is whole, a float64 otherwise.
/// A JS client reads a plain number in both protocols (JSON's numbers are float64 there too). RedLive's amounts
/// have at most two decimals and at most ten significant digits (<c>Money.Max</c>), which a float64 carries
/// exactly to the same decimal; .NET reads it back as <see cref="decimal"/> (rounded to 15 significant digits,
/// which gives the amount sent). MessagePack-CSharp's own formatter writes a string instead.
/// Reading also takes a string, for a client that wants every digit of an amount beyond that.
/// </summary>
public sealed class NumberDecimalFormatter : IMessagePackFormatter<decimal>
{
    public static readonly NumberDecimalFormatter Instance = new();

    private NumberDecimalFormatter()
    {
    }

    public void Serialize(ref MessagePackWriter writer, decimal value, MessagePackSerializerOptions options)
    {
        if (decimal.IsInteger(value) && value is >= long.MinValue and <= long.MaxValue)
        {
            writer.Write((long)value);
        }
        else
        {
            writer.Write((double)value);
        }
    }

    public decimal Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer:
                return reader.ReadInt64();
            case MessagePackType.Float:
                var number = reader.ReadDouble();
                return double.IsFinite(number) && Math.Abs(number) < (double)decimal.MaxValue
                    ? (decimal)number
                    : throw new MessagePackSerializationException($"{number} is not an amount");
            case MessagePackType.String:
                var text = reader.ReadString()!;
                return decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var amount)
                    ? amount
                    : throw new MessagePackSerializationException($"'{text}' is not an amount");
            default:
                throw new MessagePackSerializationException($"an amount is a number, not {reader.NextMessagePackType}");
        }
    }
}
