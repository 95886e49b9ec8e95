namespace Live.Contracts;

/// <summary>The roles a token carries in its <c>role</c> claim.</summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Host = "host";
    public const string Moderator = "moderator";
    public const string Operator = "operator";

    public static bool IsKnown(string? role) => role is Viewer or Host or Moderator or Operator;
}
