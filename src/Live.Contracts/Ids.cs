using System.Security.Cryptography;

namespace Live.Contracts;

/// <summary>Server-chosen opaque ids: a short kind prefix and 80 random bits.</summary>
public static class Ids
{
    public static string New(string prefix) =>
        string.Concat(prefix, "_", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)));

    /// <summary>
    /// The longest user id: user ids are token subjects (<c>sub</c>), which an external identity provider may make longer
    /// than the server's own ids; 1 to this many printable ASCII characters, checked when a token is accepted.
    /// </summary>
    public const int MaxUserIdLength = 256;

    /// <summary>Ids that come from clients (room, product, sale, request ids) are short printable ASCII.</summary>
    public static bool IsWellFormed(string? id, int maxLength = 64) =>
        !string.IsNullOrEmpty(id) && id.Length <= maxLength && id.All(c => c is > ' ' and < (char)127);

    public static void Require(string? id, string what, int maxLength = 64)
    {
        if (!IsWellFormed(id, maxLength))
        {
            throw LiveException.Invalid($"{what} must be 1 to {maxLength} printable ASCII characters");
        }
    }
}
