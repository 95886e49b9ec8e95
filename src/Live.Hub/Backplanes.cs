namespace Live.Hub;

/// <summary>The values of <see cref="LiveHubOptions.Backplane"/>.</summary>
public static class Backplanes
{
    public const string None = "None";
    public const string Redis = "Redis";
}
