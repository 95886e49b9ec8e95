namespace Live.LoadTests.Engine;

/// <summary>
/// One sample: the server process's CPU in percent of one core (200 = both cores of this machine) and RSS, the load
/// tool's own CPU (the clients; the same process as the server with <c>InProcess</c>), and the machine's 1-minute load
/// average, which shows when something besides this run competed for the cores.
/// </summary>
public sealed record ResourcePoint(double Seconds, double CpuPercent, double RssMb, double ClientCpuPercent = 0, double LoadAverage = 0);
