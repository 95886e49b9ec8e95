namespace Live.Testing;

/// <summary>Where the test run's own build put the apps that tests start as processes.</summary>
public static class BuildOutput
{
    /// <summary>Debug or Release: whatever this test assembly was built as, so the processes match it.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string AppDll(string project) =>
        Path.Combine(Repo.Root, "src", project, "bin", Configuration, "net10.0", project + ".dll");
}
