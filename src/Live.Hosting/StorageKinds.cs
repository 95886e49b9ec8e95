namespace Live.Hosting;

public static class StorageKinds
{
    public const string Sqlite = "Sqlite";
    public const string Memory = "Memory";
    public const string Redis = "Redis";
}
