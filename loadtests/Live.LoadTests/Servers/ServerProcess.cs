namespace Live.LoadTests.Servers;

/// <summary>One process of a server under load (a cluster has several): its name in the report and its id.</summary>
public sealed record ServerProcess(string Name, int ProcessId);
