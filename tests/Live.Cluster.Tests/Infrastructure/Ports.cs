
namespace Live.Cluster.Tests.Infrastructure;

public static class Ports
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whatever this test assembly was built as, so the processes match it.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string AppDll(string project) =>
        Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", project + ".dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RedLive.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RedLive.sln not found");
    }
}
