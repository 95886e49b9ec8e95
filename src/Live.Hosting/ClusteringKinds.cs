namespace Live.Hosting;

public static class ClusteringKinds
{
    public const string Localhost = "Localhost";
    public const string Redis = "Redis";
}
