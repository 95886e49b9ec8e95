using System.Text;

namespace Live.Contracts;

/// <summary>Checks on user-supplied text: length in Unicode scalar values, no broken UTF-16, no control characters.</summary>
public static class TextRules
{
    /// <summary>Trims, then requires 1..<paramref name="max"/> characters of well-formed text.</summary>
    public static string Require(string? text, string what, int max, bool allowNewLines = false)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw LiveException.Invalid($"{what} must be 1 to {max} characters");
        }

        var count = 0;
        var span = trimmed.AsSpan();
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                throw LiveException.Invalid($"{what} is not valid Unicode text");
            }

            if (Rune.IsControl(rune) && !(allowNewLines && rune.Value is '\n' or '\r' or '\t'))
            {
                throw LiveException.Invalid($"{what} must not contain control characters");
            }

            count++;
            span = span[consumed..];
        }

        if (count > max)
        {
            throw LiveException.Invalid($"{what} must be 1 to {max} characters");
        }

        return trimmed;
    }

    public static string? Optional(string? text, string what, int max, bool allowNewLines = false) =>
        string.IsNullOrWhiteSpace(text) ? null : Require(text, what, max, allowNewLines);
}
