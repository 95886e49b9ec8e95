namespace Live.Testing;

public static class Repo
{
    /// <summary>The checkout's root: the folder holding RedLive.sln above the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    public static string HubProject => Path.Combine(Root, "src", "Live.Hub");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RedLive.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"RedLive.sln not found above {AppContext.BaseDirectory}");
    }
}
