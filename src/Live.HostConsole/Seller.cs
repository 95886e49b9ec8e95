namespace Live.HostConsole;

public sealed record Seller(string HostId, IReadOnlyList<string> Brands);
